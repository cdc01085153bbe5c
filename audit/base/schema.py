"""The one declaration of a generation's fields: name, kind, bounds, plausibility, roles.

Everything else that knows a field derives from :data:`FIELDS` and :data:`ATTRIBUTES`:

- the record: :class:`audit.base.models.Generation` takes each field's pydantic ``Field`` (default,
  bounds, description) from :meth:`FieldSpec.pydantic`, and so does the JSON Schema published in
  ``docs/schema/`` (a test checks each annotation against the declared kind);
- the columns of a :class:`~audit.base.gentable.GenTable` (fields with ``table=True``, attributes);
- the checks of the canonical CSV's column reader (number columns, whole numbers, bounds) and the
  walk's plausibility limits (:attr:`FieldSpec.plausible`, one reason each);
- the estimation path: the columns a signature depends on (:data:`ESTIMATE_COLUMNS`) and how
  each value is read into a :class:`~estimators.signature.Signature` (:func:`signature_of`).

Adding an estimator input is one line here: the field (or attribute) with ``estimate=``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from estimators.signature import Signature

Kind = Literal[
    "text", "int", "float", "datetime", "enum", "strings", "inputs", "attributes", "bool"
]
#: Row of values keyed by table column (``width``, ``attr_with_audio``…), as a signature reads it.
Row = Mapping[str, object]
Reader = Callable[[object, Row], object]


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


# --- How a stored value reads as an estimator input (None: not given) ----------------------


def _given(value: object) -> bool:
    return value is not None and value == value  # NaN (a number column's empty cell) is not


def text(value: object, _row: object = None) -> str | None:
    """Text as given; anything else (None, NaN) is None."""
    return value if isinstance(value, str) else None


def whole(value: object, _row: object = None) -> int | None:
    """A whole number (a float column's 5.0 is 5)."""
    # a number column's cell (float, int or NumPy scalar), typed object because columns mix kinds
    return int(value) if _given(value) else None  # type: ignore[call-overload]


def real(value: object, _row: object = None) -> float | None:
    """A number as float."""
    # a number column's cell (float, int or NumPy scalar), typed object because columns mix kinds
    return float(value) if _given(value) else None  # type: ignore[arg-type]


def outputs(value: object, _row: object = None) -> int:
    """Outputs rendered (a record always has a count; 0 when a table cell is empty)."""
    return whole(value) or 0


def flag(value: object, _row: object = None) -> bool | None:
    """An on/off attribute: a boolean, or on, true, 1, yes in any case."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    return str(value).lower() in {"on", "true", "1", "yes"}


def number(value: object, _row: object = None) -> float | None:
    """A numeric attribute (``2x`` is 2), None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(str(value).lower().rstrip("x"))
    except ValueError:
        return None


def amount(value: object, _row: object = None) -> float | None:
    """A positive finite number (``step_pixels`` of a multi-pass ComfyUI graph), else None."""
    found = number(value)
    return found if found is not None and 0 < found < float("inf") else None


def count(value: object, _row: object = None) -> int | None:
    """A count that is not negative (the integer part), else None."""
    found = number(value)
    return None if found is None or found < 0 else int(found)


def seconds(value: object, _row: object = None) -> float | None:
    """A time that is not negative, else None."""
    found = number(value)
    return found if found is not None and found >= 0 else None


#: Magnific's ``creativity`` is an integer from -10 to 10, default 0 (Freepik API reference,
#: image-upscaler creative; ComfyUI MagnificImageUpscalerCreativeNode docs). Mapped linearly to the
#: 0–1 denoise strength the upscale method takes: -10 → 0, 0 → 0.5, 10 → 1 (an assumption).
MAGNIFIC_CREATIVITY = (-10.0, 10.0)


def creativity_strength(platform: object, value: object) -> float | None:
    """A platform's creativity setting as a 0–1 denoise strength."""
    found = number(value)
    if found is None:
        return None
    if platform == "magnific":
        low, high = MAGNIFIC_CREATIVITY
        return min(max((found - low) / (high - low), 0.0), 1.0)
    return found


def creativity(value: object, row: Row) -> float | None:
    """The ``creativity`` attribute of the row's platform as a 0–1 strength."""
    return creativity_strength(row["platform"], value)


# --- The declaration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Plausible:
    """Above ``most`` a value cannot be true of one generation: the record is rejected."""

    most: float
    reason: str


@dataclass(frozen=True)
class Estimate:
    """A stored value is the estimator input ``param`` of :class:`Signature`, read by ``read``."""

    param: str
    read: Reader


_REQUIRED: Any = ...
#: Kinds whose default is empty (a new list or dict), never None.
_COLLECTIONS = ("strings", "inputs", "attributes")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a generation record (one column of ``generations.csv``).

    ``table``: a :class:`~audit.base.gentable.GenTable` column (linking, estimation or the
    rights rules read it);
    ``estimate``: an input of the estimate (its signature), and how it is read."""

    name: str
    kind: Kind
    description: str
    default: Any = None
    ge: float | None = None
    gt: float | None = None
    plausible: Plausible | None = None
    table: bool = False
    estimate: Estimate | None = None
    #: the choices of an ``enum`` field
    enum: type[StrEnum] | None = None

    @property
    def required(self) -> bool:
        """A record must give it (no default)."""
        return self.default is _REQUIRED

    @property
    def nullable(self) -> bool:
        """None is a valid value (the field is optional and defaults to None)."""
        return self.default is None and self.kind not in _COLLECTIONS

    @property
    def numeric(self) -> bool:
        """A number field (int or float)."""
        return self.kind in ("int", "float")

    def pydantic(self) -> Any:
        """The pydantic ``Field`` of :class:`~audit.base.models.Generation` for this field."""
        options: dict[str, Any] = {"description": self.description}
        if self.kind in ("strings", "inputs"):
            options["default_factory"] = list
        elif self.kind == "attributes":
            options["default_factory"] = dict
        elif not self.required:
            options["default"] = self.default
        if self.ge is not None:
            options["ge"] = int(self.ge) if self.kind == "int" else self.ge
        if self.gt is not None:
            options["gt"] = self.gt
        return Field(**options)


@dataclass(frozen=True)
class AttributeSpec:
    """A key of a record's ``attributes`` that the table keeps as column ``attr_<name>``:
    an estimator input (``estimate``), or a fact that may identify an output (``identifies``:
    kept as lower-cased text, as linking compares it)."""

    name: str
    estimate: Estimate | None = None
    identifies: bool = False

    @property
    def column(self) -> str:
        """Its table column."""
        return f"attr_{self.name}"


#: No generation job renders a day of media: a longer duration is milliseconds logged as seconds.
MAX_DURATION_S = 86_400.0
#: No generator writes an image or a frame wider or taller than this (absurd dimensions).
MAX_SIDE_PX = 100_000
_SIDE = Plausible(MAX_SIDE_PX, f"more than {MAX_SIDE_PX} px")
_DAY = Plausible(MAX_DURATION_S, "longer than 24 h (86400 s): milliseconds logged as seconds?")
_TEXT: Kind = "text"


def _f(name: str, kind: Kind, description: str, **more: Any) -> FieldSpec:
    return FieldSpec(name, kind, description, **more)


#: Every field of a generation, in the column order of ``generations.csv``.
FIELDS: tuple[FieldSpec, ...] = (
    _f("id", _TEXT, "unique id: '<platform>:<platform id>'", default=_REQUIRED, table=True),
    _f("platform", _TEXT, "platform key, e.g. midjourney, kling, elevenlabs", default=_REQUIRED,
       table=True, estimate=Estimate("platform", text)),
    _f("account", _TEXT, "account or workspace on the platform", table=True),
    _f("model", _TEXT, "model name as the platform spells it", table=True,
       estimate=Estimate("model", text)),
    _f("model_version", _TEXT, "model version, if separate", table=True),
    _f("modality", "enum", "what was produced", default=_REQUIRED, table=True,
       estimate=Estimate("modality", text), enum=Modality),
    _f("task", _TEXT, "text_to_image, image_to_video, tts, ..."),
    _f("created_at", "datetime", "when the job was created, UTC", default=_REQUIRED, table=True),
    _f("operator", _TEXT, "person who ran it"),
    _f("prompt", _TEXT, "prompt text (untrusted)", table=True),
    _f("negative_prompt", _TEXT, "negative prompt (untrusted)"),
    _f("lyrics", _TEXT, "lyrics of a song, apart from its prompt (untrusted)", table=True),
    _f("seed", "int", "seed, if known"),
    _f("width", "int", "output width, px", ge=1, plausible=_SIDE, table=True,
       estimate=Estimate("width", whole)),
    _f("height", "int", "output height, px", ge=1, plausible=_SIDE, table=True,
       estimate=Estimate("height", whole)),
    _f("duration_s", "float", "output duration, seconds", ge=0, plausible=_DAY, table=True,
       estimate=Estimate("duration_s", real)),
    _f("fps", "float", "frames per second", gt=0, table=True, estimate=Estimate("fps", real)),
    _f("frames", "int", "frame count", ge=1, table=True, estimate=Estimate("frames", whole)),
    _f("steps", "int", "denoising steps, if known", ge=1, table=True,
       estimate=Estimate("steps", whole)),
    _f("outputs_count", "int", "outputs rendered (images of a grid...)", default=1, ge=0,
       table=True, estimate=Estimate("outputs_count", outputs)),
    _f("characters", "int", "characters synthesised (speech)", ge=0, table=True,
       estimate=Estimate("characters", whole)),
    _f("tokens_in", "int", "input tokens (text)", ge=0),
    _f("tokens_out", "int", "output tokens (text)", ge=0, table=True,
       estimate=Estimate("tokens_out", whole)),
    _f("inputs", "inputs", "input references"),
    _f("outputs", "strings", "output URLs or file names"),
    _f("parent_ids", "strings", "ids of generations this one derives from"),
    _f("shot_tag", _TEXT, "explicit shot tag from the platform", table=True),
    _f("status", "enum", "succeeded | failed | cancelled | pending | filtered",
       default=Status.succeeded, table=True, estimate=Estimate("job_status", text),
       enum=Status),
    _f("credits", "float", "platform credits charged", ge=0),
    _f("hardware", _TEXT, "hardware of a local run", table=True, estimate=Estimate("gpu", text)),
    _f("region", _TEXT, "ISO 3166 alpha-3 where it ran, if known", table=True,
       estimate=Estimate("region", text)),
    _f("measured_energy_wh", "float", "measured energy, Wh", ge=0, table=True,
       estimate=Estimate("measured_energy_wh", real)),
    _f("attributes", "attributes", "platform-specific facts the audit uses", table=True),
    _f("source_file", _TEXT, "input file, relative to the production folder", default=_REQUIRED,
       table=True),
    _f("source_locator", _TEXT, "line number or JSON pointer inside source_file",
       default=_REQUIRED, table=True),
    _f("adapter", _TEXT, "adapter that read it", default=_REQUIRED),
    _f("shot_id", _TEXT, "shot it served (set by linking)"),
    _f("kept", "bool", "in the final cut (set by linking)"),
)  # fmt: skip

#: The attributes the table keeps, estimator inputs first.
ATTRIBUTES: tuple[AttributeSpec, ...] = (
    AttributeSpec("with_audio", Estimate("with_audio", flag)),
    AttributeSpec("scale_factor", Estimate("scale_factor", number)),
    AttributeSpec("creativity", Estimate("creativity", creativity)),
    AttributeSpec("step_pixels", Estimate("step_pixels", amount)),
    AttributeSpec("elapsed_s", Estimate("elapsed_s", seconds)),
    AttributeSpec("gpu_count", Estimate("gpu_count", count)),
    AttributeSpec("extra_passes", Estimate("extra_passes", count)),
    AttributeSpec("c2pa_instance_id", identifies=True),
    AttributeSpec("sha256", identifies=True),
    AttributeSpec("output_sha256", identifies=True),
)

SPECS: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
#: Fields whose values are checked for plausibility after any adapter read them (walk).
PLAUSIBLE: tuple[FieldSpec, ...] = tuple(spec for spec in FIELDS if spec.plausible is not None)
#: Number fields (the canonical CSV's number columns), and those that are whole numbers.
NUMERIC: frozenset[str] = frozenset(spec.name for spec in FIELDS if spec.numeric)
WHOLE: frozenset[str] = frozenset(spec.name for spec in FIELDS if spec.kind == "int")
#: (table column, how it reads) of every input of the estimate, fields then attributes.
ESTIMATE_INPUTS: tuple[tuple[str, Estimate], ...] = (
    *((spec.name, spec.estimate) for spec in FIELDS if spec.estimate is not None),
    *((attr.column, attr.estimate) for attr in ATTRIBUTES if attr.estimate is not None),
)
#: The table columns an estimate depends on: rows equal in all of them share one signature.
ESTIMATE_COLUMNS: tuple[str, ...] = tuple(column for column, _ in ESTIMATE_INPUTS)


def lower_bound(name: str) -> tuple[float | None, bool]:
    """(lower bound, strict) of a number field."""
    spec = SPECS[name]
    if spec.gt is not None:
        return spec.gt, True
    return spec.ge, False


def record_value(name: str, value: object) -> object:
    """A table cell back as the value of field ``name`` in a record (NaN or None: None; a whole
    number's 5.0: 5)."""
    kind = SPECS[name].kind
    if kind == "int":
        return whole(value)
    if kind == "float":
        return real(value)
    return value if _given(value) else None


def signature_of(row: Row) -> Signature:
    """The :class:`Signature` of one row of values keyed by :data:`ESTIMATE_COLUMNS` (a table
    row, or a record's own values). Signature fields no input gives stay empty."""
    given: dict[str, Any] = {
        est.param: est.read(row[column], row) for column, est in ESTIMATE_INPUTS
    }
    return Signature(**given)
