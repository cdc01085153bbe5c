"""generations.csv and findings.csv are built column by column (audit/report/csvout.py,
``canonical_frame``) for speed; their bytes stay those of the record-by-record way:
``pd.DataFrame([to_row(gen) …]).to_csv(index=False, lineterminator="\\n")``."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from audit.base.models import AssetRef, Generation, Modality, Status, to_row
from audit.pipeline import AuditRun
from audit.report.audit_json import canonical_frame, redact_prompt
from audit.report.csvout import csv_bytes, neutralised
from audit.report.generations import generations_frame
from tests.report.conftest import Rendered

TEXTS = (
    "plain",
    "a, comma",
    'a "quote"',
    "new\nline",
    "carriage\rreturn",
    " leading space",
    "",
    "ünïcödé ✓ 🎬",
    "tab\there",
    '"',
    ",",
    '=HYPERLINK("http://x.invalid","clic")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\tlead tab",
    "\rlead return",
)
#: Integer fields of the record (pandas types them as floats when one is missing).
WHOLE = ("seed", "width", "height", "frames", "steps", "outputs_count", "characters",
         "tokens_in", "tokens_out")  # fmt: skip
FLOATS = (0.0, -0.0, 1.5, 1e-05, 1e16, 1e22, 123456789.123, 5e-324, 1.7976931348623157e308)


def pandas_csv(frame: pd.DataFrame) -> bytes:
    """pandas' CSV of the frame after formula neutralising (the only change csv_bytes makes)."""
    return str(neutralised(frame).to_csv(index=False, lineterminator="\n")).encode("utf-8")


def _float(rnd: random.Random) -> float:
    pick = rnd.random()
    if pick < 0.3:
        return rnd.choice([*FLOATS, math.inf, -math.inf, math.nan])
    return rnd.uniform(-1, 1) * 10 ** rnd.randint(-12, 20)


def _mixed(rnd: random.Random) -> Any:
    return rnd.choice([None, math.nan, True, 3, 2.5, -0.0, rnd.choice(TEXTS), pd.NA])


def random_frame(seed: int, rows: int) -> pd.DataFrame:
    rnd = random.Random(seed)
    return pd.DataFrame(
        {
            "floats": [_float(rnd) for _ in range(rows)],
            "ints": [rnd.randint(-(2**62), 2**62) for _ in range(rows)],
            "small": np.array([rnd.randint(0, 255) for _ in range(rows)], dtype=np.uint8),
            "flags": [rnd.random() < 0.5 for _ in range(rows)],
            "ints_or_none": [rnd.choice([None, rnd.randint(0, 9)]) for _ in range(rows)],
            "text": [rnd.choice(TEXTS) for _ in range(rows)],
            "text_or_none": [rnd.choice([None, *TEXTS]) for _ in range(rows)],
            "flags_or_none": [rnd.choice([None, True, False]) for _ in range(rows)],
            "mixed": [_mixed(rnd) for _ in range(rows)],
            "nothing": [None] * rows,
            'a, quoted "label"': [rnd.choice(TEXTS) for _ in range(rows)],
        }
    )


@pytest.mark.parametrize("seed", range(6))
def test_csv_bytes_are_pandas_to_csv(seed: int) -> None:
    frame = random_frame(seed, rows=300)
    assert csv_bytes(frame) == pandas_csv(frame)
    shuffled = frame.sample(frac=1, random_state=seed)  # a non-default index, as after a sort
    assert csv_bytes(shuffled) == pandas_csv(shuffled)


def test_large_text_columns_are_formatted_by_distinct_value() -> None:
    """From 2,000 rows a column of text alone is formatted once per distinct value
    (csvout._texts); the mixed and missing-value columns stay cell by cell: same bytes."""
    frame = random_frame(11, rows=5_000)
    assert csv_bytes(frame) == pandas_csv(frame)
    assert csv_bytes(frame.iloc[::-1]) == pandas_csv(frame.iloc[::-1])


def test_floats_are_written_as_numpy_writes_them() -> None:
    values = [*FLOATS, math.inf, -math.inf, math.nan, 0.1, 1 / 3, 2.5e-7, 1e15, 9.999e15]
    frame = pd.DataFrame({"x": values, "y": list(reversed(values))})
    assert csv_bytes(frame) == pandas_csv(frame)
    first = [line.split(",")[0] for line in csv_bytes(frame).decode().splitlines()[1:]]
    assert first == ["" if math.isnan(v) else repr(v) for v in values]
    assert first[:5] == ["0.0", "-0.0", "1.5", "1e-05", "1e+16"]


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"only": ["a", "", None]}),  # one column: an empty cell is written ""
        pd.DataFrame({"a": [], "b": []}),
        pd.DataFrame({"when": pd.to_datetime(["2026-01-01", None]), "b": [1, 2]}),
        pd.DataFrame({"kind": pd.Categorical(["a", None]), "b": [1, 2]}),
        pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "b": [1, 2]}),
        pd.DataFrame({"f": np.array([0.1, 2.5], dtype=np.float32), "b": [1, 2]}),
        pd.DataFrame({1: ["a"], 2: ["b"]}),
    ],
    ids=["one-column", "empty", "dates", "category", "nullable", "float32", "int-labels"],
)
def test_other_frames_go_through_pandas(frame: pd.DataFrame) -> None:
    assert csv_bytes(frame) == pandas_csv(frame)


def _generation(index: int, rnd: random.Random) -> Generation:
    modality = list(Modality)[index % len(Modality)]
    return Generation(
        id=f"test:{index:03d}",
        platform=rnd.choice(["midjourney", "kling", "elevenlabs"]),
        account=rnd.choice([None, "studio, main"]),
        model=rnd.choice([None, "v7", 'model "x"']),
        modality=modality,
        created_at=datetime(2026, 3, 1, tzinfo=UTC) + timedelta(microseconds=rnd.randint(0, 10**12)),
        prompt=rnd.choice([None, "", *TEXTS]),
        negative_prompt=rnd.choice([None, "blurry, text"]),
        seed=rnd.choice([None, rnd.randint(0, 2**40)]),
        width=rnd.choice([None, 1024, 1456]),
        duration_s=rnd.choice([None, 5, 2.5, 1e-7]),
        fps=rnd.choice([None, 24.0]),
        outputs_count=rnd.randint(0, 4),
        inputs=rnd.choice([[], [AssetRef(uri="gen:test:001", role="parent"), AssetRef(uri="a b.png")]]),
        outputs=rnd.choice([[], [f"out_{index}.png"], ['we"ird, name.png', "é.png"]]),
        parent_ids=rnd.choice([[], ["test:000"]]),
        status=rnd.choice(list(Status)),
        credits=rnd.choice([None, 0.0, 12.5]),
        attributes=rnd.choice(
            [{}, {"creativity": 0.5, "with_audio": True, "note": "a, b", "none": None, "n": 3},
             {"big": math.inf, "small": -0.0, "text": "ü"}]
        ),
        source_file="logs/x.json",
        source_locator=f"/{index}",
        adapter="test",
        shot_id=rnd.choice([None, "SC01_SH010"]),
        kept=rnd.choice([None, True, False]),
    )  # fmt: skip


@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redact-prompts"])
def test_canonical_frame_is_the_frame_of_to_row(redact: bool) -> None:
    rnd = random.Random(7)
    gens = [_generation(i, rnd) for i in range(200)]
    rows = [to_row(gen) for gen in gens]
    if redact:
        for row, gen in zip(rows, gens, strict=True):
            row["prompt"] = redact_prompt(gen.prompt)
            row["negative_prompt"] = redact_prompt(gen.negative_prompt)
    expected = pd.DataFrame(rows)
    built = canonical_frame(gens, redact)
    assert list(built.columns) == list(expected.columns)
    assert [str(t) for t in built.dtypes] == [str(t) for t in expected.dtypes]
    assert csv_bytes(built) == pandas_csv(expected)


def test_example_generations_csv_is_the_record_by_record_csv(
    example_run: AuditRun, rendered: Rendered
) -> None:
    """The whole file: canonical columns of ``to_row`` (whole numbers as integers), then the
    estimates (their region as ``grid_region``), merged and sorted, then the use status."""
    canonical = pd.DataFrame(
        [to_row(gen) for gen in example_run.link.objects(np.arange(len(example_run.link.table)))]
    )
    for name in WHOLE:
        canonical[name] = canonical[name].astype("Int64")
    impacts = example_run.footprint.table.drop(
        columns=["platform", "model", "modality", "outputs_count", "shot_id", "kept",
                 "source_file", "source_locator"]
    ).rename(columns={"region": "grid_region"})  # fmt: skip
    expected = canonical.merge(impacts, on="id", how="left").sort_values(["created_at", "id"])
    expected["use_status"] = expected["id"].map(example_run.link.use_by_id())
    written = (rendered.out / "generations.csv").read_bytes()
    assert written == pandas_csv(expected)
    header = written.split(b"\n", 1)[0].decode().split(",")
    assert "region" in header
    assert "grid_region" in header
    assert not [name for name in header if name.endswith(("_x", "_y"))]
    assert b",1456,816," in written  # Midjourney's 16:9 size, not 1456.0
    assert written == csv_bytes(generations_frame(example_run, redact_prompts=False))


def test_findings_csv_is_pandas_to_csv(rendered: Rendered, example_run: AuditRun) -> None:
    from audit.report.audit_json import findings_frame

    frame = findings_frame(example_run)
    assert (rendered.out / "findings.csv").read_bytes() == pandas_csv(frame)


def test_csv_bytes_of_nothing(tmp_path: Path) -> None:
    frame = pd.DataFrame(columns=["code", "message"])
    assert csv_bytes(frame) == b"code,message\n"
