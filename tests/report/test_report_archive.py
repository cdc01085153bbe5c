"""Outputs at archive scale (audit/report/generations.py): generations.csv written a block of
rows at a time gives the bytes of the whole frame; above the archive threshold the PDF carries
generations.parquet (typed, the same rows) instead of the CSV, says so in its appendix, and the
workbook's generations sheet holds the first rows with a line pointing at generations.csv.

The thresholds are lowered here so that the bundled example (591 generations) crosses them."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pypdf
import pytest
from pydantic import TypeAdapter

from audit.base.errors import RenderError
from audit.base.gentable import micros
from audit.base.models import to_row
from audit.pipeline import AuditRun
from audit.report import generations
from audit.report.csvout import csv_bytes
from audit.report.write import write_all
from tests.report.conftest import Rendered
from tests.report.report_support import WEASYPRINT_ICC_LEAK

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]


@pytest.mark.parametrize("rows", [1, 37, 250, 100_000])
def test_blocks_give_the_bytes_of_the_whole_file(
    example_run: AuditRun, rendered: Rendered, rows: int
) -> None:
    blocks = list(generations.generation_blocks(example_run, False, rows))
    assert len(blocks) == -(-len(example_run.link.table) // rows)
    data = b"".join(
        csv_bytes(b) if k == 0 else csv_bytes(b).split(b"\n", 1)[1] for k, b in enumerate(blocks)
    )
    assert data == (rendered.out / "generations.csv").read_bytes()


@dataclass
class _Table:
    cols: dict[str, np.ndarray]

    def column(self, name: str) -> np.ndarray:
        return self.cols[name]


@dataclass
class _Link:
    table: _Table


def test_csv_order_is_the_order_of_the_written_dates() -> None:
    """Within one second, ISO text puts ``10:00:00.5Z`` before ``10:00:00Z``: the file's order
    is that of the text it holds, then the id."""
    rnd = random.Random(3)
    start = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    stamps = [
        start + timedelta(seconds=rnd.randint(0, 3), microseconds=rnd.choice([0, 0, 1, 500_000]))
        for _ in range(400)
    ]
    ids = [f"kling:{rnd.randint(0, 60):03d}-{k}" for k in range(400)]
    table_order = sorted(range(400), key=lambda k: (stamps[k], ids[k]))  # how ingest sorts
    cols = {
        "created_us": np.asarray([micros(stamps[k]) for k in table_order], dtype=np.int64),
        "id": np.asarray([ids[k] for k in table_order], dtype=object),
    }
    text = TypeAdapter(list[datetime]).dump_python([stamps[k] for k in table_order], mode="json")
    expected = pd.DataFrame({"created_at": text, "id": cols["id"]}).sort_values(
        ["created_at", "id"]
    )
    order = generations.csv_order(_Link(_Table(cols)))  # type: ignore[arg-type]
    assert order.tolist() == expected.index.tolist()
    assert sorted(text) != text  # the case is there: time order is not text order


@pytest.fixture(scope="module")
def archive(example_run: AuditRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example written as an archive: Parquet above 100 generations, 50 workbook rows."""
    out = tmp_path_factory.mktemp("archive")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generations, "ARCHIVE_GENERATIONS", 100)
        patch.setattr(generations, "WORKBOOK_ROWS", 50)
        patch.setattr(generations, "CHUNK_ROWS", 200)
        write_all(example_run, out, ["fr", "en"], False)
    return out


def test_archive_writes_the_same_csv_and_the_parquet_beside_it(
    archive: Path, rendered: Rendered
) -> None:
    assert (archive / "generations.csv").read_bytes() == (
        rendered.out / "generations.csv"
    ).read_bytes()
    assert not (rendered.out / "generations.parquet").exists()  # small: no Parquet
    metadata = pq.ParquetFile(archive / "generations.parquet").metadata
    assert metadata.num_row_groups == 3  # one per block of 200 rows


def test_parquet_holds_the_csv_rows_typed(archive: Path) -> None:
    table = pq.read_table(archive / "generations.parquet")
    frame = table.to_pandas()
    text = pd.read_csv(archive / "generations.csv", keep_default_na=False, dtype=str)
    assert list(frame.columns) == list(text.columns)
    assert str(table.schema.field("created_at").type) == "timestamp[us, tz=UTC]"
    assert str(table.schema.field("width").type) == "int64"
    assert str(table.schema.field("energy_wh_central").type) == "double"
    assert str(table.schema.field("kept").type) == "bool"
    assert frame["id"].tolist() == text["id"].tolist()
    assert frame["energy_wh_central"].tolist() == [float(v) for v in text["energy_wh_central"]]
    widths = [None if v == "" else int(v) for v in text["width"]]
    assert [None if pd.isna(v) else int(v) for v in frame["width"]] == widths
    assert frame["kept"].tolist() == [v == "True" for v in text["kept"]]
    prompts = [v.removeprefix("'") for v in text["prompt"]]  # the CSV neutralises formulas
    assert [v or "" for v in frame["prompt"].tolist()] == prompts
    stamps = pd.to_datetime(text["created_at"], utc=True, format="ISO8601")
    assert (frame["created_at"] == stamps).all()


def test_pdf_carries_the_parquet_stored_with_its_type(archive: Path) -> None:
    reader = pypdf.PdfReader(archive / "report.pdf")
    attached = reader.attachments
    assert sorted(attached) == ["audit.json", "generations.parquet", "inputs.csv"]
    assert attached["generations.parquet"] == [(archive / "generations.parquet").read_bytes()]
    raw = (archive / "report.pdf").read_bytes()
    assert b"/Subtype /application#2fvnd.apache.parquet" in raw
    files = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    specs = {files[k]: files[k + 1].get_object() for k in range(0, len(files), 2)}
    stream = specs["generations.parquet"]["/EF"]["/F"].get_object()
    assert "/Filter" not in stream  # compressed already: stored as it is
    assert specs["generations.parquet"]["/AFRelationship"] == "/Data"


@pytest.mark.parametrize(
    ("name", "words"),
    [("report.html", "Au-delà de 100 générations"), ("report.en.html", "Above 100 generations")],
)
def test_appendix_names_the_file_and_the_rule(archive: Path, name: str, words: str) -> None:
    html = (archive / name).read_text(encoding="utf-8")
    assert words in html
    assert "generations.parquet" in html


def test_workbook_holds_the_first_rows_and_says_so(archive: Path) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO((archive / "report.en.xlsx").read_bytes()))[
        "Generations"
    ]
    assert sheet.auto_filter.ref == f"A1:Y{50 + 1}"
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == (
        "The first 50 of 591 generations, by creation date: every generation is in generations.csv."
    )
    text = pd.read_csv(archive / "generations.csv", keep_default_na=False, dtype=str)
    ids = [row[0].value for row in sheet.iter_rows(min_row=2, max_row=51)]
    assert ids == text["id"].head(50).tolist()


def test_redacted_names_leave_the_parquet(example_run: AuditRun, tmp_path: Path) -> None:
    """``--redact``: the consent subjects' names are replaced in the Parquet's text too."""
    person = example_run.ledgers.consents[0].person
    redacted = replace(example_run, options=replace(example_run.options, redact=True))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generations, "ARCHIVE_GENERATIONS", 100)
        write_all(redacted, tmp_path, ["en"], False)
    frame = pq.read_table(tmp_path / "generations.parquet").to_pandas()
    texts = " ".join(str(v) for column in frame.columns for v in frame[column].tolist())
    csv_text = (tmp_path / "generations.csv").read_text(encoding="utf-8")
    assert person.split()[0] not in csv_text
    assert person.split()[0] not in texts


def _fails(*_args: object) -> None:
    raise OSError("disk full")


def test_a_failure_in_the_background_is_one_error_and_no_output(
    example_run: AuditRun, tmp_path: Path
) -> None:
    """The forked writer fails (here: as if the disk were full): the report stops with a
    RenderError naming the files, and nothing is committed into ``out``."""
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generations, "ARCHIVE_GENERATIONS", 100)
        patch.setattr(generations, "write_generations", _fails)
        with pytest.raises(RenderError, match=r"generations\.csv and generations\.parquet"):
            write_all(example_run, out, ["en"], False)
    assert not out.exists() or not any(out.iterdir())


def test_records_of_a_block_are_the_records_of_the_table(example_run: AuditRun) -> None:
    """``GenTable.records``: the objects already built when there are, else built for the block
    alone (not kept) — the same records either way."""
    table = example_run.link.table
    fresh = table.take(np.arange(len(table)))  # no object built yet
    rows = np.asarray([5, 0, 590, 17, 17], dtype=np.int64)
    built = fresh.records(rows)
    assert "generations" not in fresh._cache  # the block's objects are not kept
    assert [to_row(g) for g in built] == [to_row(g) for g in table.records(rows)]
    assert [g.id for g in built] == [table.column("id")[k] for k in rows.tolist()]


def test_without_fork_the_same_files(archive: Path, example_run: AuditRun, tmp_path: Path) -> None:
    """Where no copy of the process can be forked (Windows), the CSV and the Parquet are written
    before the pages: the same files, the same PDF."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generations, "ARCHIVE_GENERATIONS", 100)
        patch.setattr(generations, "WORKBOOK_ROWS", 50)
        patch.setattr(generations, "CHUNK_ROWS", 200)
        patch.setattr(generations, "CAN_FORK", False)
        write_all(example_run, tmp_path, ["fr", "en"], False)
    for name in ("generations.csv", "generations.parquet", "report.pdf", "report.en.xlsx"):
        assert (tmp_path / name).read_bytes() == (archive / name).read_bytes(), name
