"""The validation set (data/validation.csv): published per-generation energy measurements,
each as a record would log it (a local run of that model at that configuration); checked by
:mod:`estimators.validation`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from estimators.errors import CoefficientError
from estimators.signature import Signature

VALIDATION_COLUMNS = (
    "id", "source_id", "locator", "model", "modality", "width", "height", "frames", "fps",
    "duration_s", "steps", "hardware", "boundary", "measured_wh", "used_for", "notes",
)  # fmt: skip
#: The platform a validation point is logged on: one's own machine, no cloud overhead.
LOCAL = "local"
#: Boundaries a point may be measured at (the local run's facility energy is its node energy).
GPU, NODE = "GPU", "NODE"
_INTS = ("width", "height", "frames", "steps")
_FLOATS = ("fps", "duration_s")


@dataclass(frozen=True)
class Point:
    """One published measurement, as a record would log it."""

    id: str
    source_id: str
    locator: str
    signature: Signature
    boundary: str
    measured_wh: float
    used_for: tuple[str, ...]
    notes: str


def _point(row: dict[str, str], line: int, path: Path, sources: set[str]) -> Point:
    def number(name: str, kind: type[int] | type[float]) -> int | float | None:
        try:
            return kind(row[name]) if row[name] else None
        except ValueError:
            raise CoefficientError(
                "not a number", file=path, line=line, field=name, value=row[name]
            ) from None

    if row["source_id"] not in sources:
        raise CoefficientError(
            "unknown source", file=path, line=line, field="source_id", value=row["source_id"]
        )
    ints = [number(name, int) for name in _INTS]
    width, height, frames, steps = (None if n is None else int(n) for n in ints)
    fps, duration = (number(name, float) for name in _FLOATS)
    measured = number("measured_wh", float)
    if row["boundary"] not in (GPU, NODE):
        raise CoefficientError(
            "unknown boundary",
            file=path,
            line=line,
            field="boundary",
            value=row["boundary"],
            choices=(GPU, NODE),
        )
    if measured is None or not row["locator"] or not row["model"]:
        raise CoefficientError(
            "a point needs a model, a locator and measured_wh",
            file=path,
            line=line,
            field="id",
            value=row["id"],
        )
    sig = Signature(
        LOCAL,
        row["modality"],
        model=row["model"],
        gpu=row["hardware"] or None,
        width=width,
        height=height,
        frames=frames,
        steps=steps,
        fps=fps,
        duration_s=duration,
    )
    used = tuple(u for u in row["used_for"].split(";") if u)
    return Point(
        row["id"],
        row["source_id"],
        row["locator"],
        sig,
        row["boundary"],
        float(measured),
        used,
        row["notes"],
    )


def load_points(path: Path, sources: set[str]) -> tuple[Point, ...]:
    """validation.csv, strictly (columns, numbers, sources)."""
    if not path.is_file():
        raise CoefficientError("file is missing", file=path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != VALIDATION_COLUMNS:
            raise CoefficientError(
                "columns differ", file=path, line=1, field="header", choices=VALIDATION_COLUMNS
            )
        return tuple(_point(dict(r), reader.line_num, path, sources) for r in reader)
