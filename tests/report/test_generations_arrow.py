"""generations.csv and generations.parquet written from Arrow columns (audit/report/
generations_arrow.py, arrowcsv.py, audit/ingest/canonical_arrow.py) hold the bytes the frame path
writes (``generation_blocks`` through ``csv_bytes``, the typed Parquet) and pandas' ``to_csv``.

The production is the benchmark's generator (bench/generate.py, Empreinte's canonical format)
with cells made tricky on purpose, as people fill the canonical CSV by hand
(docs/input-formats.md): padded and formula-like text, commas and quotes, unicode, an empty id
or status, dates with an offset, whole numbers written as decimals, JSON and ``a|b`` lists,
attributes of every scalar type. Each cell kind is also pinned alone against the standard
library (``repr``, ``csv.writer``, pydantic) on generated values."""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from pydantic import TypeAdapter

from audit.base.gentable import from_generations, micros
from audit.base.safetext import neutralise_csv_cell
from audit.ingest import canonical_arrow
from audit.pipeline import AuditRun, Options, run
from audit.report import generations, generations_arrow
from audit.report.arrowcsv import cells_of, coded_cells, csv_lines, float_texts, line_bytes
from bench.generate import generate

#: Cells written into some rows of the generated file (column: values, cycled over rows).
TRICKY: dict[str, list[str]] = {
    "prompt": ["a, comma", 'a "quote"', "  padded  ", "ünïcödé ✓ 🎬", '=HYPERLINK("x","y")',
               "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "-12.5", "-٣", "", "   ",
               "x\u3000", "\x1cx", "plain"],
    "negative_prompt": ["=1+1", "", "blur, noise", '"'],
    "operator": ["Ana Martin", "@ana", "", "ana martin"],
    "lyrics": ["la, la", "", "-la"],
    "model_version": ["", "v1,2", "2.0"],
    "task": ["=x", "text_to_image", ""],
    "inputs": ["", "ref.png", "a.png|b.png", '[{"uri":"in.png","role":"image"}]', "r\u00e9f.png",
               "back\\slash.png", " | "],
    "parent_ids": ["", "kling:0", "a|b", '["p1","p2"]'],
    "attributes": ["", "{}", '{"with_audio":true,"mode":"pro","n":2,"x":0.5,"z":null,"é":"ü"}',
                   '{"b":1,"a":"x, y"}'],
    "credits": ["1.5", "", "0.1", "1e-05", "100000000000000000000", "3"],
    "measured_energy_wh": ["", "0.25", "", "3"],
    "hardware": ["", "rtx 4090"],
    "shot_tag": [", tag", "", "SC01_SH010"],
    "account": ["-acct", "studio"],
}  # fmt: skip
PERSON = "Ana Martin"


def _tricky(folder: Path) -> Path:
    """bench/generate.py's production, its canonical CSV given the :data:`TRICKY` cells."""
    log = generate(folder, 3000, 60)
    with log.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for k, row in enumerate(rows):
        for name, values in TRICKY.items():
            row[name] = values[k // 3 % len(values)] if k % 3 else row.get(name, "")
        if k % 7 == 0:
            row["id"] = ""
        if k % 11 == 0:
            row["status"] = ""
        if k % 13 == 0:
            row["created_at"] = row["created_at"].replace("Z", "+02:00")
        if k % 17 == 0 and row["seed"]:
            row["seed"] = row["seed"] + ".0"
    names = list(dict.fromkeys([*rows[0], *TRICKY]))
    with log.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.fixture(scope="module")
def tricky_run(tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    folder = _tricky(tmp_path_factory.mktemp("tricky") / "prod")
    found = run(folder, Options(as_of=date(2026, 11, 20)))
    assert len(found.link.table) > 2900
    return found


def _written(
    run_: AuditRun, out: Path, redact_prompts: bool, names: dict[str, str], arrow: bool
) -> tuple[bytes, bytes]:
    """generations.csv and generations.parquet's bytes, by columns or (``arrow`` False) by
    frames; blocks of 700 rows, the last one shorter. Checks that the path asked was taken."""
    taken: list[bool] = []
    block = generations_arrow.ArrowBlocks.block

    def spied(self: Any, rows: np.ndarray) -> Any:
        found = block(self, rows) if arrow else None
        taken.append(found is not None)
        return found

    out.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generations, "CHUNK_ROWS", 700)
        patch.setattr(generations_arrow.ArrowBlocks, "block", spied)
        generations.write_generations(
            run_, out / "g.csv", out / "g.parquet", redact_prompts, names, head=False
        )
    assert any(taken) == arrow
    return (out / "g.csv").read_bytes(), (out / "g.parquet").read_bytes()


@pytest.mark.parametrize(
    ("redact_prompts", "names"), [(False, {}), (True, {}), (False, {PERSON: "[person 1]"})]
)
def test_columns_write_the_bytes_of_the_frames(
    tricky_run: AuditRun, tmp_path: Path, redact_prompts: bool, names: dict[str, str]
) -> None:
    by_columns = _written(tricky_run, tmp_path / "a", redact_prompts, names, arrow=True)
    by_frames = _written(tricky_run, tmp_path / "f", redact_prompts, names, arrow=False)
    assert by_columns[0] == by_frames[0]
    assert by_columns[1] == by_frames[1]
    table = pq.read_table(io.BytesIO(by_columns[1]))
    assert table.equals(pq.read_table(io.BytesIO(by_frames[1])))
    if names:
        assert PERSON.encode() not in by_columns[0]
        assert PERSON not in str(table.to_pylist())


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells neutralised, each column's dtype kept (csvout.neutralised
    maps an object column of whole numbers and None to floats: ``1456.0``)."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            cells = np.empty(len(column), dtype=object)
            cells[:] = [neutralise_csv_cell(v) if isinstance(v, str) else v for v in column]
            out[name] = pd.Series(cells, dtype=column.dtype, index=out.index)
    return out


def test_columns_write_pandas_to_csv_of_the_whole_frame(
    tricky_run: AuditRun, tmp_path: Path
) -> None:
    data, _ = _written(tricky_run, tmp_path, False, {}, arrow=True)
    frame = generations.generations_frame(tricky_run, False)
    assert data == str(_neutralised(frame).to_csv(index=False, lineterminator="\n")).encode()
    text = data.decode()
    for cell in ('"a, comma"', '"a ""quote"""', "'=HYPERLINK", "'@SUM(1+1)", ",-12.5,", ",-٣,"):
        assert cell in text, cell  # the tricky cells are there, as csv writes them


def test_dump_reads_arrow_backed_text_columns_as_objects(tmp_path: Path) -> None:
    """CONTRACT with the column reader: text columns may come as pandas' Arrow-backed ``str``
    (missing: NA) instead of objects; the dump is the same."""
    log = _tricky(tmp_path / "prod") / "logs" / "generations.csv"
    frame = pd.read_csv(log, dtype=str, keep_default_na=False, na_values=[""])
    objects = frame.astype(object)
    for name in ("seed", "width", "height", "duration_s", "fps", "outputs_count", "credits"):
        objects[name] = pd.to_numeric(frame[name])
    texts = objects.copy()
    for name in objects.columns:
        if objects[name].dtype == object:
            texts[name] = objects[name].astype("str")
    assert any(isinstance(texts[n].dtype, pd.StringDtype) for n in texts.columns)
    wanted = [name for name in objects.columns if name != "created_at"]
    rows = np.arange(len(frame))[::-3].copy()
    names = ("logs/generations.csv", "generations", "canonical")
    left = canonical_arrow.dump_columns(objects, wanted, rows, names, {})
    right = canonical_arrow.dump_columns(texts, wanted, rows, names, {})
    for name in left:
        assert left[name].to_pylist() == right[name].to_pylist(), name


def test_floats_are_written_as_repr() -> None:
    """Arrow's float text fixed to ``repr``: random bit patterns, every decade, whole numbers
    around 2**53, tiny and huge values, signed zeros, NaN (empty) and infinities."""
    rng = np.random.default_rng(7)
    special = [0.0, -0.0, 5.0, -5.0, 0.1 + 0.2, 1e-05, 1e-4, 9.999999999999999e-05, 1e15, 1e16,
               2.0**53, 2.0**53 + 2, 9999999999999998.0, 1e21, 1e22, 5e-324, 2.5e-300, 1.5e300,
               1.7976931348623157e308, math.inf, -math.inf, math.nan]  # fmt: skip
    values = np.concatenate(
        [
            np.asarray(special),
            rng.integers(-(2**62), 2**62, 300_000).view(np.float64),
            rng.standard_normal(300_000) * 10.0 ** rng.integers(-30, 30, 300_000),
            np.round(rng.standard_normal(100_000) * 10.0 ** rng.integers(0, 18, 100_000)),
            np.round(rng.random(100_000) * 1000, 2),
        ]
    )
    expected = [None if v != v else repr(v) for v in values.tolist()]
    assert float_texts(values).to_pylist() == expected
    assert cells_of(pa.array(values, from_pandas=True)).to_pylist() == expected


def test_dates_are_written_as_pydantic_does() -> None:
    rng = np.random.default_rng(3)
    low = micros(datetime(1, 1, 1, tzinfo=UTC))
    high = micros(datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
    stamps = rng.integers(low, high, 100_000)
    stamps[::2] -= stamps[::2] % 1_000_000  # whole seconds, as most records
    values = pa.array([*stamps.tolist(), low, high, 0, None], pa.timestamp("us", tz="UTC"))
    expected = TypeAdapter(list[datetime | None]).dump_python(values.to_pylist(), mode="json")
    assert cells_of(values).to_pylist() == expected


TEXTS = ["plain", "a, comma", 'a "quote"', "new\nline", "carriage\rreturn", "", '"', ",",
         "ünïcödé ✓ 🎬", '=HYPERLINK("http://x.invalid","clic")', "+cmd|' /C calc'!A0", "@SUM(1+1)",
         "-2+3", "-12.5", "+3e-4", "-٣", "\tlead tab", "\rlead return", "-", "=", "'=x",
         " leading", "tab\there", '"=x,y"']  # fmt: skip


def _csv_writer_line(cells: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def test_text_cells_are_neutralised_and_quoted_as_csv_does() -> None:
    rnd = random.Random(5)
    rows = [[rnd.choice([*TEXTS, None]) for _ in range(4)] for _ in range(3000)]
    columns = [pa.array([row[k] for row in rows], pa.string()) for k in range(4)]
    expected = "".join(
        _csv_writer_line([neutralise_csv_cell(c) if c is not None else "" for c in row])
        for row in rows
    )
    lines = csv_lines([cells_of(column) for column in columns])
    assert bytes(line_bytes(lines)).decode() == expected
    coded = [coded_cells(column.dictionary_encode()) for column in columns]
    assert all(found is not None for found in coded)
    by_code = csv_lines([found for found in coded if found is not None])
    assert bytes(line_bytes(by_code)).decode() == expected


@pytest.mark.parametrize(
    ("texts", "around"),
    [
        (["a, b", 'say "hi"', "x\ny"], "plain"),
        (["a, b", "c,d"], 'a "quote" outside the slice'),
        (['["x.mp4"]', '["a","b"]'], "plain"),
    ],
)
def test_cells_quoted_on_every_row_as_csv_does(texts: list[str], around: str) -> None:
    """Every row needs quotes (prompts with commas, JSON lists): wrapped without picking rows;
    the quotes doubled when there are (a slice of a longer array: its buffer holds more)."""
    rnd = random.Random(7)
    cells = [rnd.choice(texts) for _ in range(500)]
    column = pa.array([around, *cells, around], pa.string()).slice(1, len(cells))
    expected = "".join(_csv_writer_line([cell]) for cell in cells)
    assert bytes(line_bytes(csv_lines([cells_of(column)]))).decode() == expected


@pytest.mark.parametrize("arrow_backed", [False, True])
def test_few_distinct_cells_are_stripped_as_python_strips(arrow_backed: bool) -> None:
    """A text column of few distinct cells (coded once for the column): each cell as
    ``str.strip`` leaves it, empty as null, cells equal once stripped one text."""
    rnd = random.Random(3)
    choices = ["kling", "  kling ", "kling\u3000", "   ", "", None, "\tsuno", "suno", "x y"]
    cells = [rnd.choice(choices) for _ in range(4000)]
    series = pd.Series(cells, dtype="str" if arrow_backed else object, name="account")
    positions = np.arange(len(cells))[::-2].copy()
    coded: dict[Any, Any] = {}
    found = canonical_arrow.stripped(series, positions, coded)
    assert pa.types.is_dictionary(found.type)
    expected = [
        c.strip() or None if isinstance(c, str) else None for c in np.array(cells)[positions]
    ]
    assert found.to_pylist() == expected
    assert len(set(found.dictionary.to_pylist())) == len(found.dictionary)


def test_plain_list_cells_are_found_as_the_pattern_finds_them() -> None:
    """The list cells the dump writes itself (not JSON, nothing JSON escapes, one item), found
    by byte: the rows the pattern ``^[\\[{]|["\\\\\\x00-\\x1f|]`` matches, on sliced arrays."""
    rnd = random.Random(11)
    parts = ["a", "é", "[", "{", '"', "\\", "|", "\x1f", "\t", "\u3000", " ", "x.png", "\u2028"]
    cells = [
        None if rnd.random() < 0.1 else "".join(rnd.choices(parts, k=rnd.randint(0, 4)))
        for _ in range(3000)
    ]
    text = pa.array(["pad", *cells], pa.string()).slice(1)
    pattern = pc.match_substring_regex(text, r'^[\[{]|["\\\x00-\x1f|]')
    expected = np.asarray(pc.fill_null(pattern, False), dtype=bool)
    assert (canonical_arrow._not_plain(text) == expected).all()
    assert expected.any()
    assert not expected.all()


def test_numbers_by_code_are_the_numbers_as_text() -> None:
    """Columns of few distinct numbers are formatted once per number (codes): the same cells."""
    rng = np.random.default_rng(1)
    ints = pa.array([None if k % 5 == 0 else int(v) for k, v in enumerate(rng.integers(0, 4, 800))])
    floats = pa.array(rng.choice([0.5, -0.0, 1e-05, math.nan], 800), from_pandas=True)
    for column in (ints, floats):
        coded = coded_cells(column)
        assert coded is not None
        by_code = bytes(line_bytes(csv_lines([coded]))).decode().splitlines()
        plain = bytes(line_bytes(csv_lines([cells_of(column)]))).decode().splitlines()
        assert by_code == plain
        assert plain[1] == ("" if column[1].as_py() is None else repr(column[1].as_py()))


def test_redacted_prompts_leave_the_columns(tricky_run: AuditRun, tmp_path: Path) -> None:
    """``--redact-prompts`` on the column path: no prompt text is written, lengths and hashes
    are (and the frame path writes the same, above)."""
    data, parquet = _written(tricky_run, tmp_path, True, {}, arrow=True)
    assert b"a, comma" not in data
    assert b"[redacted: " in data
    prompts = pq.read_table(io.BytesIO(parquet)).column("prompt").to_pylist()
    assert all(p is None or p.startswith("[redacted: ") for p in prompts)


def test_rows_of_other_adapters_take_the_frame_path(tricky_run: AuditRun) -> None:
    """Rows an adapter built as objects have no file columns: the frame path writes them."""
    records = tricky_run.link.table.build(np.arange(len(tricky_run.link.table)))
    objects = replace(tricky_run, link=replace(tricky_run.link, table=from_generations(records)))
    blocks = generations_arrow.ArrowBlocks(objects, generations._impacts(objects), False)
    assert blocks.block(np.arange(10)) is None
