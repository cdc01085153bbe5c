"""CSV files of the report (generations.csv, findings.csv): the bytes ``DataFrame.to_csv(index=False,
lineterminator="\\n")`` writes, UTF-8, several times faster on a large frame.

pandas formats each column by its dtype and hands the cells to :func:`csv.writer`. We format the
cells the same way — floats as ``repr`` (what numpy's ``astype(str)`` gives: shortest round-trip
digits, ``1e-05``, ``1e+16``), integers and booleans as ``str``, text as it is, missing values as
empty cells, other objects as :mod:`csv` writes them — each distinct number once, then quote
and join them ourselves: a cell is quoted, its quotes doubled, when it holds a character that
makes the standard library's writer (same dialect) quote it, which :data:`UNSAFE` asks that
writer once. A frame with another dtype (dates, categories, nullable numbers), labels that are
not plain strings, or a single column goes through pandas itself.

Text cells that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
return first) are written with a ``'`` before them (:func:`audit.base.safetext.neutralise_csv_cell`),
on both paths; numbers are numbers and stay as they are."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pandas as pd

from audit.base.safetext import neutralise_cells, neutralise_csv_cell

#: The dialect pandas gives :func:`csv.writer` for ``to_csv(lineterminator="\n")``.
_DIALECT: dict[str, Any] = {
    "lineterminator": "\n",
    "delimiter": ",",
    "quoting": csv.QUOTE_MINIMAL,
    "doublequote": True,
    "escapechar": None,
    "quotechar": '"',
}


def _unsafe() -> str:
    """The characters that make the csv writer quote a cell (``\n``, ``"`` and ``,`` on CPython
    3.11; asked of the writer itself rather than assumed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, **_DIALECT)
    found = ""
    for code in range(128):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([f"a{chr(code)}b", "c"])
        if buffer.getvalue().startswith('"'):
            found += chr(code)
    return found


UNSAFE = _unsafe()


def _quoted(cells: list[str]) -> list[str]:
    """Cells as the writer writes them: quoted, quotes doubled, when they hold an unsafe char
    (one ``in`` test per cell and unsafe character present in the column)."""
    joined = "".join(cells)
    present = [char for char in UNSAFE if char in joined]
    if not present:
        return cells
    flags = [False] * len(cells)
    for char in present:
        flags = [flag or char in cell for flag, cell in zip(flags, cells, strict=True)]
    return [
        '"' + cell.replace('"', '""') + '"' if flag else cell
        for cell, flag in zip(cells, flags, strict=True)
    ]


def _text(value: Any) -> str:
    """A non-missing object cell as csv writes it (``repr`` for floats, ``str`` otherwise)."""
    if isinstance(value, str):
        return str.__str__(value)
    return repr(value) if isinstance(value, float) else str(value)


def _numbers(values: np.ndarray) -> list[str]:
    """Float64, integer or boolean cells: each distinct value (by bit pattern: -0.0 is not 0.0)
    formatted once; NaN is an empty cell."""
    bits = values.view(np.int64) if values.dtype.kind == "f" else values
    distinct, where = np.unique(bits, return_inverse=True)
    if values.dtype.kind == "f":
        texts = ["" if v != v else repr(v) for v in distinct.view(np.float64).tolist()]
    else:
        texts = [str(v) for v in distinct.tolist()]
    cells: list[str] = np.asarray(texts, dtype=object)[where.reshape(-1)].tolist()
    return cells


def _texts(values: list[Any]) -> list[str]:
    """Object cells (missing ones already ``""``) as csv writes them, text neutralised. A column
    of text alone is formatted one distinct value at a time (a large table repeats its
    platforms, models and prompts); a mixed one cell by cell (``1``, ``1.0`` and ``True`` are
    equal keys but not equal cells)."""
    if set(map(type, values)) - {str}:
        return [neutralise_csv_cell(v) if v.__class__ is str else _text(v) for v in values]
    if len(values) < _DISTINCT_FROM:
        return neutralise_cells(values)
    codes, distinct = pd.factorize(np.asarray(values, dtype=object))
    texts = np.asarray(neutralise_cells(list(distinct)), dtype=object)
    cells: list[str] = texts[codes].tolist()
    return cells


#: Rows from which a text column is formatted by distinct value (below, cell by cell is quicker).
_DISTINCT_FROM = 2_000


def _cells(series: pd.Series) -> list[str] | None:
    """The cells of one column as pandas writes them, or None for a dtype not handled here."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        texts: list[str] = series.to_numpy(dtype=object, na_value="").tolist()
        return _texts(texts)
    if isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return None
    if dtype.kind == "O":
        return _texts(series.to_numpy(dtype=object, na_value="").tolist())
    if (dtype.kind == "f" and dtype.itemsize == 8) or dtype.kind in "iub":
        return _numbers(series.to_numpy())
    return None


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (of any column) neutralised; other cells unchanged."""
    out = frame.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if column.dtype.kind == "O" or isinstance(column.dtype, pd.StringDtype):
            cells = column.map(lambda v: neutralise_csv_cell(v) if isinstance(v, str) else v)
            string = isinstance(column.dtype, pd.StringDtype)
            out.isetitem(i, (cells.astype(column.dtype) if string else cells).array)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV (header, no index, ``\\n`` line ends), UTF-8: the bytes of
    ``neutralised(frame).to_csv(index=False, lineterminator="\\n")``."""
    labels = list(frame.columns)
    columns = [_cells(frame.iloc[:, i]) for i in range(len(labels))] if len(frame) else []
    plain = len(labels) > 1 and all(label.__class__ is str for label in labels)
    if not plain or not columns or any(cells is None for cells in columns):
        text = neutralised(frame).to_csv(index=False, lineterminator="\n")
        return str(text).encode("utf-8")
    quoted = [_quoted(cells) for cells in columns if cells is not None]
    lines = [",".join(_quoted(labels)), *map(",".join, zip(*quoted, strict=True))]
    return ("\n".join(lines) + "\n").encode("utf-8")
