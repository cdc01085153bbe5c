"""One declaration of a generation (audit.base.schema): the record, the table, the readers' checks,
the walk's plausibility limits and the estimate's inputs all follow it."""

from __future__ import annotations

import dataclasses
import types
from datetime import datetime
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import numpy as np
import pytest
from annotated_types import Ge, Gt
from pydantic_core import PydanticUndefined

from audit.base import gentable, schema
from audit.base.gentable import from_generations
from audit.base.models import AssetRef, Generation
from audit.base.production import load_production
from audit.base.resources import example_dir
from audit.estimate.footprint import UNREAD_FIELDS, estimate_table, registry, signature
from audit.ingest.walk import implausible, ingest_files
from estimators.impacts import estimate
from estimators.signature import Signature

#: What each declared kind is as a Python annotation (without None).
KIND_TYPES: dict[str, object] = {
    "text": str, "int": int, "float": float, "datetime": datetime, "bool": bool,
    "strings": list[str], "inputs": list[AssetRef],
    "attributes": dict[str, str | int | float | bool | None],
}  # fmt: skip
RECORD = {
    "id": "kling:1", "platform": "kling", "modality": "video", "model": "kling-v2.6",
    "created_at": "2026-09-01T10:00:00Z", "width": 1280, "height": 720, "duration_s": 5,
    "source_file": "logs/kling.json", "source_locator": "/0", "adapter": "kling",
}  # fmt: skip
PRODUCTION = load_production(example_dir())


def _split(annotation: Any) -> tuple[object, bool]:
    """(type without None, None allowed)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1 and type(None) in get_args(annotation):
            return args[0], True
    return annotation, False


def test_the_record_is_the_declaration() -> None:
    """Same fields in the same order; each annotation is the declared kind, None allowed exactly
    when declared nullable; bounds, defaults and descriptions are the declaration's."""
    fields = Generation.model_fields
    assert list(fields) == [spec.name for spec in schema.FIELDS]
    for spec in schema.FIELDS:
        info = fields[spec.name]
        kind, nullable = _split(info.annotation)
        if spec.kind == "enum":
            assert kind is spec.enum, spec.name
        else:
            assert kind == KIND_TYPES[spec.kind], spec.name
        assert nullable == spec.nullable, spec.name
        assert info.description == spec.description
        ge = [m.ge for m in info.metadata if isinstance(m, Ge)]
        gt = [m.gt for m in info.metadata if isinstance(m, Gt)]
        assert ge == ([] if spec.ge is None else [spec.ge]), spec.name
        assert gt == ([] if spec.gt is None else [spec.gt]), spec.name
        if spec.required:
            assert info.is_required(), spec.name
        elif info.default_factory is None:
            assert info.default == spec.default, spec.name
        else:
            assert info.default is PydanticUndefined


def test_the_table_columns_are_the_declared_ones() -> None:
    declared = {spec.name for spec in schema.FIELDS if spec.table} - {"created_at"}
    attributes = {attr.column for attr in schema.ATTRIBUTES}
    assert set(gentable.COLUMNS) == declared | attributes | {"created_us", "has_attributes"}
    assert set(gentable.NUMBERS) == {n for n in declared if schema.SPECS[n].numeric}
    # every estimate input is a table column, so that estimate_table can read it
    assert set(schema.ESTIMATE_COLUMNS) <= set(gentable.COLUMNS)


def test_every_estimate_input_is_a_signature_field() -> None:
    params = [est.param for _, est in schema.ESTIMATE_INPUTS]
    names = {f.name for f in dataclasses.fields(Signature)}
    assert len(params) == len(set(params))
    assert set(params) <= names
    assert set(UNREAD_FIELDS) == names - set(params)


def test_a_record_and_its_table_row_read_the_same_signature() -> None:
    """signature() of a record reads the record's row as estimate_table reads the table."""
    gen = Generation.model_validate(
        {
            **RECORD,
            "attributes": {"with_audio": "on", "gpu_count": "2", "creativity": 5},
            "hardware": "H100",
            "status": "failed",
            "fps": 24,
        }
    )
    production = PRODUCTION.model_copy(update={"compute_regions": {"kling": "FRA"}})
    sig = signature(gen, production)
    assert (sig.region, sig.with_audio, sig.gpu_count, sig.job_status) == ("FRA", True, 2, "failed")
    assert (sig.width, sig.fps, sig.gpu, sig.creativity) == (1280, 24.0, "H100", 5.0)
    table = from_generations([gen])
    none = np.full(1, None, dtype=object)
    footprint = estimate_table(table, none, np.zeros(1, dtype=bool), production)
    assert list(footprint.by_signature) == [sig]


@pytest.mark.parametrize("column", schema.ESTIMATE_COLUMNS)
def test_each_estimate_input_parts_the_rows(column: str) -> None:
    """Two records differing in one estimate input only get two signatures; differing in a field
    no estimate reads (the prompt), one."""
    changes: dict[str, dict[str, Any]] = {
        "platform": {"platform": "google", "model": "veo-3.1"}, "model": {"model": "kling-v2.5"},
        "modality": {"modality": "video_edit"}, "status": {"status": "failed"},
        "hardware": {"hardware": "H100"}, "region": {"region": "FRA"},
        "outputs_count": {"outputs_count": 2}, "duration_s": {"duration_s": 10},
        "fps": {"fps": 30}, "measured_energy_wh": {"measured_energy_wh": 12.5},
    }  # fmt: skip
    name = column.removeprefix("attr_")
    if column.startswith("attr_"):
        change = {"attributes": {name: {"with_audio": True, "creativity": 3}.get(name, 4)}}
    else:
        change = changes.get(column, {column: 4})
    one = Generation.model_validate({**RECORD, "prompt": "a lighthouse"})
    same = Generation.model_validate({**RECORD, "id": "kling:2", "prompt": "a storm"})
    other = Generation.model_validate({**RECORD, "id": "kling:3", **change})
    production = PRODUCTION.model_copy(update={"compute_regions": {}})
    none = np.full(3, None, dtype=object)
    table = from_generations([one, same, other])
    footprint = estimate_table(table, none, np.zeros(3, dtype=bool), production, registry())
    assert len(footprint.by_signature) == 2, column


@pytest.mark.parametrize("spec", schema.PLAUSIBLE, ids=lambda spec: spec.name)
def test_plausibility_limits_are_the_declared_ones(tmp_path: Path, spec: schema.FieldSpec) -> None:
    """The walk rejects a value over the declared limit with the declared reason, and the column
    reader of a canonical CSV hands that row to the row reader, which names the same field."""
    assert spec.plausible is not None
    limit = spec.plausible.most
    over = Generation.model_validate({**RECORD, spec.name: limit + 1})
    at = Generation.model_validate({**RECORD, spec.name: limit})
    reject = implausible(over)
    assert reject is not None
    assert (reject.field, reject.reason) == (
        spec.name,
        spec.plausible.reason,
    )
    assert implausible(at) is None
    rows = ["platform,modality,created_at," + spec.name]
    rows += [f"kling,video,2026-09-01T10:{k:02d}:00Z,{int(limit) - k}" for k in range(40)]
    rows.append(f"kling,video,2026-09-01T11:00:00Z,{int(limit) + 1}")
    log = tmp_path / "journal.csv"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = ingest_files(tmp_path, [log], lenient=True)
    assert len(result.generations) == 40
    [refused] = result.rejects
    assert (refused.locator, refused.field, refused.reason) == (
        "42",
        spec.name,
        spec.plausible.reason,
    )


def test_number_columns_and_their_bounds() -> None:
    whole = {n for n, f in Generation.model_fields.items() if _split(f.annotation)[0] is int}
    real = {n for n, f in Generation.model_fields.items() if _split(f.annotation)[0] is float}
    assert whole == schema.WHOLE
    assert whole | real == schema.NUMERIC
    assert schema.lower_bound("fps") == (0, True)
    assert schema.lower_bound("width") == (1, False)
    assert schema.lower_bound("seed") == (None, False)


def test_signature_readers_of_attribute_values() -> None:
    """Attribute values as platforms write them (strings, numbers, ``2x``)."""
    assert [schema.flag(v) for v in (None, True, "ON", "0", 1)] == [None, True, True, False, True]
    assert [schema.number(v) for v in ("2x", True, "abc", 4)] == [2.0, None, None, 4.0]
    assert [schema.count(v) for v in ("3", -1, "2.7")] == [3, None, 2]
    assert [schema.amount(v) for v in (0, "1e6", float("inf"))] == [None, 1e6, None]
    assert schema.creativity_strength("magnific", 0) == 0.5
    assert schema.creativity_strength("magnific", 30) == 1.0
    assert schema.whole(np.nan) is None
    assert schema.real(5) == 5.0
    assert schema.outputs(np.nan) == 0
    sig = schema.signature_of(
        {c: None for c in schema.ESTIMATE_COLUMNS}
        | {"platform": "kling", "modality": "video", "status": "succeeded", "outputs_count": 1.0}
    )
    assert estimate(sig, registry()).energy_wh.central > 0
