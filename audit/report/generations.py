"""The per-generation outputs of ``report``, sized for their readers (docs/performance.md,
"Outputs at archive scale"):

- ``generations.csv``: one row per generation, written a block of rows at a time
  (:data:`CHUNK_ROWS`): each block's records are built, turned into cells, written and let go, so
  a million-row archive never sits in memory as one frame or one string. The bytes are those of
  the whole frame's CSV (tests compare them with pandas' ``to_csv``);
- the PDF's copy of it: up to :data:`ARCHIVE_GENERATIONS` generations, ``generations.csv`` itself;
  above, ``generations.parquet`` (the same columns, typed, Zstandard-compressed, one row group per
  block), also written beside the other outputs. The report's appendix names the file attached and
  the rule;
- the workbook's generations sheet: the first :data:`WORKBOOK_ROWS` rows (audit/report/workbook.py
  says so in the sheet).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from audit.base.errors import RenderError
from audit.base.i18n import Formatter
from audit.base.models import COLUMNS
from audit.link.model import USE_NAMES
from audit.report.arrowcsv import csv_lines, line_bytes
from audit.report.audit_json import (
    REPEATED,
    canonical_frame,
    dumped_frame,
    whole_numbers,
)
from audit.report.contract import Attached
from audit.report.csvout import csv_bytes
from audit.report.generations_arrow import ArrowBlocks, Column
from audit.report.parquet_blocks import ParquetBlocks
from audit.rights.base import redact_text

if TYPE_CHECKING:
    from audit.link.result import LinkResult
    from audit.pipeline import AuditRun

#: Above this many generations, the PDF carries generations.parquet instead of generations.csv.
ARCHIVE_GENERATIONS = 50_000
#: Rows per block of generations.csv (and per row group of generations.parquet).
CHUNK_ROWS = 50_000
#: Rows of the workbook's generations sheet, at most (the rest: generations.csv).
WORKBOOK_ROWS = 10_000
PARQUET_MIME = "application/vnd.apache.parquet"
#: The estimate's region beside the record's own ``region``.
RENAMED = {"region": "grid_region"}


def archive(run: AuditRun) -> bool:
    """Whether the PDF carries generations.parquet rather than generations.csv."""
    return len(run.link.table) > ARCHIVE_GENERATIONS


def attached(run: AuditRun, lang: str) -> Attached:
    """What the report's appendix says of the per-generation file: its name, and at archive
    scale the rule (the threshold, in ``lang``'s numbers)."""
    name = "generations.parquet" if archive(run) else "generations.csv"
    limit = Formatter(lang).number(ARCHIVE_GENERATIONS, 0)
    return Attached(name=name, parquet=archive(run), limit=limit)


def csv_order(link: LinkResult) -> np.ndarray:
    """Row positions in generations.csv's order: ``created_at`` as written (ISO text: within one
    second, fractions before the whole second), then ``id``. The table is in time order, then id
    order; a stable sort on that text order keeps it, checked, else pandas sorts the text."""
    table = link.table
    seconds, fraction = np.divmod(table.column("created_us").astype(np.int64), 1_000_000)
    key = (seconds * 2 + (fraction == 0)) * 1_000_000 + fraction
    order = np.argsort(key, kind="stable")
    keys = key[order]
    ties = np.flatnonzero(keys[1:] == keys[:-1])  # ids read for these rows only
    ids = table.column("id")
    if not len(ties) or bool((ids[order[ties + 1]] > ids[order[ties]]).all()):
        return order
    frame = pd.DataFrame({"key": key, "id": np.asarray(table.column("id"), dtype=object)})
    return frame.sort_values(["key", "id"], kind="stable").index.to_numpy()


def _impacts(run: AuditRun) -> pd.DataFrame:
    """The estimate of each table row, in table order (its region as ``grid_region``)."""
    table = run.footprint.table.drop(columns=REPEATED).rename(columns=RENAMED)
    ids = run.link.table.column("id")
    if len(table) == len(ids) and np.array_equal(table["id"].to_numpy(dtype=object), ids):
        return table.reset_index(drop=True)
    return table.set_index("id").reindex(pd.Index(ids, dtype=object)).reset_index(names="id")


def _block(run: AuditRun, rows: np.ndarray, impacts: pd.DataFrame, redact: bool) -> pd.DataFrame:
    """generations.csv's rows ``rows``: canonical columns, the estimate, the use status."""
    link = run.link
    dumped = link.table.dumped(rows)
    if dumped is not None:  # read from the files' columns: no record per row
        canonical = dumped_frame(dumped, redact)
    else:
        canonical = canonical_frame(link.table.records(rows), redact)
    canonical["shot_id"] = link.shot_ids[rows]
    canonical["kept"] = link.kept[rows]
    canonical = whole_numbers(canonical)
    estimate = impacts.iloc[rows].drop(columns="id").reset_index(drop=True)
    frame = pd.concat([canonical, estimate], axis=1)
    if link.use is not None:
        frame["use_status"] = np.asarray(USE_NAMES, dtype=object)[link.use[rows]]
    return frame


def hidden(data: bytes, names: dict[str, str]) -> bytes:
    """UTF-8 ``data`` with the names of ``--redact`` replaced by their labels (audit.json and
    the CSVs: the labels hold no quote nor comma)."""
    return redact_text(data.decode("utf-8"), names).encode("utf-8") if names else data


def _check_overlap(impacts: pd.DataFrame) -> None:
    overlap = set(COLUMNS) & set(impacts.columns) - {"id"}
    if overlap:  # the estimate repeats a record field: a column would be written twice
        raise RenderError(f"generations.csv: estimate columns repeat {sorted(overlap)}")


def generation_blocks(
    run: AuditRun, redact_prompts: bool, rows_per_block: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """generations.csv's frame, a block of rows at a time (one empty frame of the estimate's
    columns when there is no generation)."""
    if not len(run.link.table):
        yield run.footprint.table.drop(columns=REPEATED).rename(columns=RENAMED)
        return
    order, impacts = csv_order(run.link), _impacts(run)
    _check_overlap(impacts)
    for start in range(0, len(order), rows_per_block):
        yield _block(run, order[start : start + rows_per_block], impacts, redact_prompts)


def generations_frame(run: AuditRun, redact_prompts: bool) -> pd.DataFrame:
    """generations.csv's whole frame (small productions, tests)."""
    blocks = list(generation_blocks(run, redact_prompts))
    return blocks[0] if len(blocks) == 1 else pd.concat(blocks, ignore_index=True)


@dataclass
class Written:
    """What :func:`write_generations` wrote: the PDF's copy (name, bytes, MIME type), the first
    rows for the workbook, and the number of generations."""

    attached: str
    data: bytes
    mime: str
    head: pd.DataFrame
    total: int


def write_generations(
    run: AuditRun,
    csv_path: Any,
    parquet_path: Any,
    redact_prompts: bool,
    names: dict[str, str],
    head: bool = True,
) -> Written:
    """Stream generations.csv into ``csv_path`` (``names``: ``--redact``'s, replaced in every
    text); above :data:`ARCHIVE_GENERATIONS`, stream generations.parquet into ``parquet_path``.
    ``head``: what the pages need, the first rows for the workbook and the attachment's bytes
    (the forked writer leaves them to :class:`Background`)."""
    total = len(run.link.table)
    small: list[bytes] = []
    parquet = ParquetBlocks(run, names, parquet_path) if parquet_path is not None else None
    with open(csv_path, "wb") as handle:
        for index, (block, header, body) in enumerate(_csv_blocks(run, redact_prompts)):
            parts = [header, body] if index == 0 else [body]
            if names:
                parts = [hidden(b"".join(map(bytes, parts)), names)]
            for part in parts:
                handle.write(part)
            if parquet is not None:
                parquet.add(block)
            elif head:
                small.append(b"".join(map(bytes, parts)))
    first = next(generation_blocks(run, redact_prompts, WORKBOOK_ROWS)) if head else None
    rows = first if first is not None else pd.DataFrame()
    if parquet is None:
        return Written("generations.csv", b"".join(small), "text/csv", rows, total)
    parquet.close()
    data = Path(parquet_path).read_bytes() if head else PENDING
    return Written("generations.parquet", data, PARQUET_MIME, rows, total)


Block = pd.DataFrame | list[Column]


def _csv_blocks(run: AuditRun, redact_prompts: bool) -> Iterator[tuple[Block, bytes, Any]]:
    """Each block of generations.csv, its header line and its rows' bytes: built from columns
    (:class:`~audit.report.generations_arrow.ArrowBlocks`) when the rows are a canonical CSV's,
    else as a frame (:func:`generation_blocks`)."""
    table = run.link.table
    if not len(table):
        for frame in generation_blocks(run, redact_prompts):
            header, body = csv_bytes(frame).split(b"\n", 1)
            yield frame, header + b"\n", body
        return
    order, impacts = csv_order(run.link), _impacts(run)
    _check_overlap(impacts)
    arrow = ArrowBlocks(run, impacts, redact_prompts)
    for start in range(0, len(order), CHUNK_ROWS):
        rows = order[start : start + CHUNK_ROWS]
        columns = arrow.block(rows)
        if columns is None:
            frame = _block(run, rows, impacts, redact_prompts)
            header, body = csv_bytes(frame).split(b"\n", 1)
            yield frame, header + b"\n", body
        else:
            header = (",".join(c.name for c in columns) + "\n").encode("utf-8")
            yield columns, header, line_bytes(csv_lines([c.cells for c in columns]))


#: Whether this system can fork a copy of the process (Linux, macOS; not Windows): else the two
#: files are written in this process before the pages.
CAN_FORK = "fork" in multiprocessing.get_all_start_methods()
#: What the PDF's Parquet attachment holds until :meth:`Background.parquet` replaces it (the
#: PDF's finisher asks for the file once the pages are laid out).
PENDING = b"empreinte: generations.parquet, written in the background"


def _child(
    run: AuditRun, csv_path: Path, parquet_path: Path, redact_prompts: bool, names: dict[str, str]
) -> None:
    write_generations(run, csv_path, parquet_path, redact_prompts, names, head=False)


class Background:
    """Archive scale on two cores: generations.csv and generations.parquet are written by a
    forked copy of this process (the run in memory is shared, nothing is pickled) while this one
    builds the context, the workbook and lays out the PDF; the PDF's attachment is filled in at
    the end (:meth:`parquet`). A failure there is a RenderError here; leaving the block early
    stops the copy."""

    def __init__(
        self,
        run: AuditRun,
        paths: tuple[Path, Path],
        redact_prompts: bool,
        names: dict[str, str],
    ) -> None:
        self.run, self.redact_prompts, self.parquet_path = run, redact_prompts, paths[1]
        context = multiprocessing.get_context("fork")
        args = (run, paths[0], paths[1], redact_prompts, names)
        self.process = context.Process(target=_child, args=args, name="empreinte-generations")
        self._data: bytes | None = None

    def __enter__(self) -> Background:
        self.process.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()

    def written(self) -> Written:
        """What the report needs now: the first rows for the workbook, the count, and the
        attachment to fill in (:data:`PENDING`)."""
        head = next(generation_blocks(self.run, self.redact_prompts, WORKBOOK_ROWS))
        return Written("generations.parquet", PENDING, PARQUET_MIME, head, len(self.run.link.table))

    def parquet(self) -> bytes:
        """generations.parquet's bytes, once the copy has written both files."""
        if self._data is None:
            self.process.join()
            if self.process.exitcode != 0:
                raise RenderError(
                    f"writing generations.csv and generations.parquet failed (exit "
                    f"{self.process.exitcode}; its error is printed above)"
                )
            self._data = self.parquet_path.read_bytes()
        return self._data
