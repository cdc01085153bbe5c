"""B5's lower bound: what the outputs ``empreinte report`` must write cost at the least, each
made by the library's own compiled writer from an already typed table (nothing of ours: no
validation, linking, estimation, rights, context, workbook or ``audit.json``).

Run by ``bench.cases b5-bound`` on the folder B5's report just wrote. CPU time of each piece
(``time.process_time``: user and system of this process, threads included), their sum, and that
sum spread perfectly over the machine's cores: no way of sharing the work between processes
ends sooner. Compared with 15 times B1's floor, it says whether the target is within reach on
this machine before any of our code runs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _cpu(figures: dict[str, Any], name: str, func: Callable[[], Any]) -> Any:
    start = time.process_time()
    out = func()
    figures[f"{name}_cpu_s"] = round(time.process_time() - start, 3)
    return out


def _pdf(folder: Path, scratch: Path, figures: dict[str, Any]) -> None:
    """WeasyPrint's import, layout and writing of the report's own HTML, without attachments."""
    html = (folder / "report.html").read_text(encoding="utf-8")
    weasyprint = _cpu(figures, "weasyprint_import", lambda: __import__("weasyprint"))
    document = _cpu(figures, "pdf_layout",
                    lambda: weasyprint.HTML(string=html, base_url=str(folder)).render())  # fmt: skip
    figures["pdf_pages"] = len(document.pages)
    _cpu(figures, "pdf_write", lambda: document.write_pdf(scratch / "bound.pdf"))


def b5_bound(folder: Path, root: Path) -> dict[str, Any]:
    """The pieces' CPU; ``folder`` holds B5's outputs, ``root`` is B1's production."""
    import pandas as pd
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    from isal import isal_zlib

    figures: dict[str, Any] = {}
    scratch = folder / "bound"
    scratch.mkdir()
    _cpu(figures, "read_csv", lambda: pd.read_csv(root / "logs" / "generations.csv"))
    table = pq.read_table(folder / "generations.parquet")  # the per-generation table, typed
    figures["rows"], figures["columns"] = table.num_rows, table.num_columns
    _cpu(figures, "arrow_write_csv", lambda: pcsv.write_csv(table, scratch / "generations.csv"))
    _cpu(figures, "arrow_write_parquet",
         lambda: pq.write_table(table, scratch / "generations.parquet", compression="zstd"))  # fmt: skip
    attachment = (folder / "audit.json").read_bytes()
    _cpu(figures, "deflate_audit_json", lambda: isal_zlib.compress(attachment, 1))  # as render
    _pdf(folder, scratch, figures)
    total = sum(value for name, value in figures.items() if name.endswith("_cpu_s"))
    figures["total_cpu_s"] = round(total, 3)
    figures["cores"] = os.cpu_count() or 1
    figures["wall_bound_s"] = round(total / figures["cores"], 3)
    return figures
