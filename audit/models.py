"""The canonical generation record: one row of ``generations.csv``, one object per generation.

Every adapter turns a platform's own record into :class:`Generation`. The same columns, in the same
order, are written to ``generations.csv`` and exported as JSON Schema to
``docs/schema/generation.schema.json`` (rebuild with ``empreinte docs``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Modality(StrEnum):
    """What a generation produced."""

    image = "image"
    video = "video"
    upscale = "upscale"
    image_edit = "image_edit"
    video_edit = "video_edit"
    lipsync = "lipsync"
    music = "music"
    sound = "sound"
    speech = "speech"
    voice_clone = "voice_clone"
    text = "text"


class Status(StrEnum):
    """How the platform says the generation ended."""

    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"
    #: Still submitted, queued or running when the record was saved (a create response): estimated
    #: as a full run of its kind and counted apart; a finished record of the same id replaces it.
    pending = "pending"
    #: the platform's safety filter blocked the output after the run: nothing delivered, the run
    #: still happened (its energy is estimated)
    filtered = "filtered"


#: Departments of the report, by modality.
DEPARTMENT_BY_MODALITY: dict[str, str] = {
    "image": "image",
    "image_edit": "image",
    "video": "animation",
    "video_edit": "animation",
    "lipsync": "animation",
    "upscale": "upscaling",
    "music": "music",
    "sound": "music",
    "speech": "voice",
    "voice_clone": "voice",
    "text": "text",
}


class AssetRef(BaseModel):
    """An input of a generation: a file, a URL, or another generation (``gen:<id>``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    uri: str = Field(description="URL, file path (relative to the production folder) or gen:<id>")
    role: str = Field(
        default="input",
        description="what the input is for: image, image_tail, image_prompt, sref, cref, oref, "
        "subject_reference, character_ref, audio, video, voice, checkpoint, lora, controlnet, parent",
    )


class Generation(BaseModel):
    """One generation job as Empreinte understands it, whatever platform it came from."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    id: str = Field(description="unique id: '<platform>:<platform id>'")
    platform: str = Field(description="platform key, e.g. midjourney, kling, elevenlabs")
    account: str | None = Field(default=None, description="account or workspace on the platform")
    model: str | None = Field(default=None, description="model name as the platform spells it")
    model_version: str | None = Field(default=None, description="model version, if separate")
    modality: Modality = Field(description="what was produced")
    task: str | None = Field(default=None, description="text_to_image, image_to_video, tts, ...")
    created_at: datetime = Field(description="when the job was created, UTC")
    operator: str | None = Field(default=None, description="person who ran it")
    prompt: str | None = Field(default=None, description="prompt text (untrusted)")
    negative_prompt: str | None = Field(default=None, description="negative prompt (untrusted)")
    lyrics: str | None = Field(
        default=None, description="lyrics of a song, apart from its prompt (untrusted)"
    )
    seed: int | None = Field(default=None, description="seed, if known")
    width: int | None = Field(default=None, ge=1, description="output width, px")
    height: int | None = Field(default=None, ge=1, description="output height, px")
    duration_s: float | None = Field(default=None, ge=0, description="output duration, seconds")
    fps: float | None = Field(default=None, gt=0, description="frames per second")
    frames: int | None = Field(default=None, ge=1, description="frame count")
    steps: int | None = Field(default=None, ge=1, description="denoising steps, if known")
    outputs_count: int = Field(
        default=1, ge=0, description="outputs rendered (images of a grid...)"
    )
    characters: int | None = Field(
        default=None, ge=0, description="characters synthesised (speech)"
    )
    tokens_in: int | None = Field(default=None, ge=0, description="input tokens (text)")
    tokens_out: int | None = Field(default=None, ge=0, description="output tokens (text)")
    inputs: list[AssetRef] = Field(default_factory=list, description="input references")
    outputs: list[str] = Field(default_factory=list, description="output URLs or file names")
    parent_ids: list[str] = Field(
        default_factory=list, description="ids of generations this one derives from"
    )
    shot_tag: str | None = Field(default=None, description="explicit shot tag from the platform")
    status: Status = Field(
        default=Status.succeeded, description="succeeded | failed | cancelled | pending | filtered"
    )
    credits: float | None = Field(default=None, ge=0, description="platform credits charged")
    hardware: str | None = Field(default=None, description="hardware of a local run")
    region: str | None = Field(default=None, description="ISO 3166 alpha-3 where it ran, if known")
    measured_energy_wh: float | None = Field(default=None, ge=0, description="measured energy, Wh")
    attributes: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="platform-specific facts the audit uses"
    )
    source_file: str = Field(description="input file, relative to the production folder")
    source_locator: str = Field(description="line number or JSON pointer inside source_file")
    adapter: str = Field(description="adapter that read it")
    shot_id: str | None = Field(default=None, description="shot it served (set by linking)")
    kept: bool | None = Field(default=None, description="in the final cut (set by linking)")

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    @property
    def department(self) -> str:
        return DEPARTMENT_BY_MODALITY[self.modality.value]


#: Column order of generations.csv.
COLUMNS: list[str] = list(Generation.model_fields)
#: Columns serialised as JSON in CSV cells.
JSON_COLUMNS = ("inputs", "outputs", "parent_ids", "attributes")


def to_row(gen: Generation) -> dict[str, Any]:
    """A flat dict for CSV/DataFrame: lists and dicts as compact, key-sorted JSON."""
    row = gen.model_dump(mode="json")
    for col in JSON_COLUMNS:
        row[col] = json.dumps(row[col], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return row


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the canonical record, as published in docs/schema/."""
    schema = Generation.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
