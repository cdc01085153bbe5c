"""inputs.csv: the inventory of the input files (one row per file read, then the files no adapter
claimed), attached to the PDF and written beside it; the PDF itself prints one line and the SHA-256
of all the inputs together."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from audit.pipeline import AuditRun

INPUT_COLUMNS = ["file", "adapter", "size_bytes", "accepted", "merged", "rejected", "sha256"]


def inputs_frame(run: AuditRun) -> pd.DataFrame:
    """One row per input file as read; files no adapter claimed follow, adapter empty."""
    rows = [
        [f.name, f.adapter or "", f.size_bytes, f.accepted, f.merged, f.rejected, f.sha256]
        for f in run.ingest.files
    ]
    frame = pd.DataFrame(rows, columns=INPUT_COLUMNS)
    for name in ("size_bytes", "accepted", "merged", "rejected"):
        frame[name] = frame[name].astype("int64")
    return frame
