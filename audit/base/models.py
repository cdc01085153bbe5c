"""The canonical generation record: one row of ``generations.csv``, one object per generation.

Every adapter turns a platform's own record into :class:`Generation`. The same columns, in the same
order, are written to ``generations.csv`` and exported as JSON Schema to
``docs/schema/generation.schema.json`` (rebuild with ``empreinte docs``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from audit.base.schema import SPECS, Modality, Status

__all__ = ["AssetRef", "Generation", "Modality", "Status", "json_schema", "to_row"]


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


# Each field's default, bounds and description come from its declaration in audit.base.schema (a test
# checks each annotation against the declared kind); the docstring below is the JSON Schema's.
class Generation(BaseModel):
    """One generation job as Empreinte understands it, whatever platform it came from."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    id: str = SPECS["id"].pydantic()
    platform: str = SPECS["platform"].pydantic()
    account: str | None = SPECS["account"].pydantic()
    model: str | None = SPECS["model"].pydantic()
    model_version: str | None = SPECS["model_version"].pydantic()
    modality: Modality = SPECS["modality"].pydantic()
    task: str | None = SPECS["task"].pydantic()
    created_at: datetime = SPECS["created_at"].pydantic()
    operator: str | None = SPECS["operator"].pydantic()
    prompt: str | None = SPECS["prompt"].pydantic()
    negative_prompt: str | None = SPECS["negative_prompt"].pydantic()
    lyrics: str | None = SPECS["lyrics"].pydantic()
    seed: int | None = SPECS["seed"].pydantic()
    width: int | None = SPECS["width"].pydantic()
    height: int | None = SPECS["height"].pydantic()
    duration_s: float | None = SPECS["duration_s"].pydantic()
    fps: float | None = SPECS["fps"].pydantic()
    frames: int | None = SPECS["frames"].pydantic()
    steps: int | None = SPECS["steps"].pydantic()
    outputs_count: int = SPECS["outputs_count"].pydantic()
    characters: int | None = SPECS["characters"].pydantic()
    tokens_in: int | None = SPECS["tokens_in"].pydantic()
    tokens_out: int | None = SPECS["tokens_out"].pydantic()
    inputs: list[AssetRef] = SPECS["inputs"].pydantic()
    outputs: list[str] = SPECS["outputs"].pydantic()
    parent_ids: list[str] = SPECS["parent_ids"].pydantic()
    shot_tag: str | None = SPECS["shot_tag"].pydantic()
    status: Status = SPECS["status"].pydantic()
    credits: float | None = SPECS["credits"].pydantic()
    hardware: str | None = SPECS["hardware"].pydantic()
    region: str | None = SPECS["region"].pydantic()
    measured_energy_wh: float | None = SPECS["measured_energy_wh"].pydantic()
    attributes: dict[str, str | int | float | bool | None] = SPECS["attributes"].pydantic()
    source_file: str = SPECS["source_file"].pydantic()
    source_locator: str = SPECS["source_locator"].pydantic()
    adapter: str = SPECS["adapter"].pydantic()
    shot_id: str | None = SPECS["shot_id"].pydantic()
    kept: bool | None = SPECS["kept"].pydantic()

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    @property
    def department(self) -> str:
        """The film department of the generation's modality (picture, sound…), which the report
        groups by."""
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
