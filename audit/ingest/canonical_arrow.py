"""The fields of a canonical CSV's rows as their records would dump them, as typed Arrow columns
straight from the file's columns (no Python object per cell): what generations.csv and
generations.parquet are written from at archive scale (audit/report/generations_arrow.py).

Each field is what :func:`converted` then :func:`audit.base.dumps.json_values` give (the row
reader's conversions: text stripped, an empty cell not given, numbers as floats, whole numbers
as integers, the field's default when not given), typed as generations.parquet holds it
(:func:`arrow_type`); the JSON fields (``inputs``, ``outputs``, ``parent_ids``, ``attributes``)
as their cells' JSON text (:func:`audit.base.dumps.json_texts`). ``created_at`` is not here: the
table has it (``created_us``). Cells the vectorised path is unsure of (JSON written as JSON, text
that needs escaping, a column pandas could not type) go through the same Python conversions, one
distinct cell at a time. Text columns may be objects or pandas' Arrow-backed ``str``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.base.arrowtext import rows_holding, rows_starting
from audit.base.dumps import INPUT_PREFIX, default_value, json_texts, json_values
from audit.base.models import COLUMNS
from audit.base.schema import SPECS
from audit.ingest.canonical_columns import CONVERTED, cell
from audit.ingest.canonical_columns import stripped as stripped_cells

_TYPES = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
#: A list cell the vectorised path writes itself: not JSON (first character), nothing JSON must
#: escape nor a second item (anywhere; every character below 0x20 too); ASCII, found by byte.
_NOT_PLAIN = ("[{", '"\\|')
#: Before and after a plain list cell's items, and between them.
_LIST_PARTS = {
    "strings": ('["', '"]', '","'),
    "inputs": ("[" + INPUT_PREFIX + '"', '"}]', '"},' + INPUT_PREFIX + '"'),
}


def arrow_type(name: str) -> pa.DataType:
    """Field ``name``'s Arrow type in generations.parquet (JSON fields: their text)."""
    kind = SPECS[name].kind
    if kind == "datetime":
        return pa.timestamp("us", tz="UTC")
    return _TYPES.get(kind, pa.string())


def converted(name: str, values: np.ndarray) -> list[Any]:
    """A column's cells as :meth:`CanonicalAdapter.read_rows` converts them (None: empty); a
    typed number is the float the row reader would parse."""
    if values.dtype.kind in "if":
        return [None if v != v else float(v) for v in values.tolist()]
    if name in CONVERTED:
        return [cell(name, v.strip()) if isinstance(v, str) else None for v in values.tolist()]
    return [(v.strip() or None) if v.__class__ is str else None for v in values.tolist()]


def dump_columns(
    frame: pd.DataFrame,
    wanted: list[str],
    positions: np.ndarray,
    names: tuple[str, str, str],
    coded: dict[Any, Any],
) -> dict[str, pa.Array]:
    """Every field but ``created_at`` of the file's rows ``positions`` (``names``: the file's
    name as shown, its stem, the adapter). A text column of few distinct cells comes as a
    dictionary array (its codes kept in ``coded`` from one block to the next)."""
    source_name, stem, adapter = names
    count = len(positions)
    out = {
        name: _field(frame[name], name, positions, coded)
        if name in wanted
        else _default(name, count, coded)
        for name in COLUMNS
        if name != "created_at"
    }
    locators = pc.cast(pa.array(positions + 2, pa.int64()), pa.string())
    if out["id"].null_count:  # an id made of the platform and the line
        platform = out["platform"].cast(pa.string())
        made = pc.binary_join_element_wise(platform, f":{stem}-", locators, "")
        out["id"] = pc.coalesce(out["id"].cast(pa.string()), made)
    out["source_file"] = _constant(source_name, count, coded)
    out["source_locator"] = locators
    out["adapter"] = _constant(adapter, count, coded)
    return out


def _constant(text: str, count: int, coded: dict[Any, Any]) -> pa.Array:
    """``count`` times ``text``, as a dictionary array of one text (the same dictionary from
    one block to the next)."""
    zeros = pa.array(np.zeros(count, dtype=np.int32))
    texts = coded.setdefault(("constant", text), pa.array([text], pa.string()))
    return pa.DictionaryArray.from_arrays(zeros, texts)


def _default(name: str, count: int, coded: dict[Any, Any]) -> pa.Array:
    value = default_value(name)
    if value is None:
        return pa.nulls(count, arrow_type(name))
    if isinstance(value, str):
        return _constant(value, count, coded)
    return pa.repeat(pa.scalar(value, arrow_type(name)), count)


def _field(series: pd.Series, name: str, positions: np.ndarray, coded: dict[Any, Any]) -> pa.Array:
    kind = SPECS[name].kind
    try:
        if kind in ("int", "float") and series.dtype.kind in "if":
            return _numbers(series, name, positions)
        if kind in ("text", "enum"):
            return _filled(stripped(series, positions, coded), name, coded)
        if kind in _LIST_PARTS:
            return _decoded(_lists, name, stripped(series, positions, coded), "[]", coded)
        if kind == "attributes":
            return _decoded(_json, name, stripped(series, positions, coded), "{}", coded)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass  # cells that are not all text: the row reader's conversions below
    values = json_values(name, converted(name, series.take(positions).to_numpy()))
    if kind in ("strings", "inputs", "attributes"):
        values = json_texts(name, values)
    return pa.array(values, arrow_type(name))


def stripped(
    series: pd.Series, positions: np.ndarray, coded: dict[Any, Any] | None = None
) -> pa.Array:
    """A text column's cells at ``positions``, stripped as ``str.strip`` does; empty: null.
    An object column of few distinct cells: a dictionary array (``coded``: its codes, found
    once for the whole column)."""
    arrow = isinstance(series.dtype, pd.StringDtype | pd.ArrowDtype)
    if coded is not None and (arrow or series.dtype.kind == "O"):
        found = _codes(series, coded)
        if found is not None:
            codes, dictionary = found
            at = codes[positions]
            return pa.DictionaryArray.from_arrays(pa.array(at, mask=at < 0), dictionary)
    if arrow:
        text = _arrow(_rows(series, positions))
    elif series.dtype.kind == "O":
        cells = _rows(series, positions).to_numpy()  # a slice: a view, no new references
        text = pa.array(cells, pa.string(), from_pandas=True)
    else:
        raise pa.ArrowTypeError(f"{series.dtype} is not a text column")
    trimmed: pa.Array = stripped_cells(text)  # the column reader's own strip
    return trimmed


#: Rows looked at to tell a column of few distinct cells (platform, model, status…).
_SAMPLE = 20_000


def _rows(series: pd.Series, positions: np.ndarray) -> pd.Series:
    """The column's cells at ``positions``: a slice when they follow each other (a file in
    time order), else taken."""
    count = len(positions)
    if count and positions[-1] - positions[0] == count - 1 and (np.diff(positions) == 1).all():
        return series.iloc[int(positions[0]) : int(positions[0]) + count]
    return series.take(positions)


def _arrow(series: pd.Series) -> pa.Array:
    """An Arrow-backed text column as one Arrow string array."""
    found = pa.array(series)
    whole = found.combine_chunks() if isinstance(found, pa.ChunkedArray) else found
    return whole.cast(pa.string())


def _codes(series: pd.Series, coded: dict[Any, Any]) -> tuple[np.ndarray, pa.Array] | None:
    """The codes of a text column's stripped cells (-1: empty) and their texts, when the
    column holds few distinct cells; None otherwise (remembered in ``coded``)."""
    name = str(series.name)
    if name not in coded:
        coded[name] = None
        found = _distinct(series)
        if found is not None:  # the distinct cells stripped, those equal once stripped merged
            codes, uniques = found
            clean = pc.dictionary_encode(stripped_cells(uniques))  # empty: null, no text
            remap = np.append(pc.fill_null(clean.indices, -1).to_numpy(), -1).astype(np.int32)
            coded[name] = (remap[codes], clean.dictionary)
    found_codes: tuple[np.ndarray, pa.Array] | None = coded[name]
    return found_codes


def _distinct(series: pd.Series) -> tuple[np.ndarray, pa.Array] | None:
    """Each cell's code (-1: missing) and the distinct texts, when the first rows then the
    whole column hold few (none but text)."""
    count = len(series)
    head = series.iloc[:_SAMPLE]
    if head.nunique(dropna=False) * 8 > min(count, _SAMPLE):
        return None
    if isinstance(series.dtype, pd.StringDtype | pd.ArrowDtype):
        encoded = pc.dictionary_encode(_arrow(series))
        codes = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64)
        uniques: pa.Array = encoded.dictionary
    else:
        codes, found = pd.factorize(series.to_numpy())
        if not all(value.__class__ is str for value in found.tolist()):
            return None
        uniques = pa.array(found, pa.string())
    if len(uniques) * 8 > count:
        return None
    return codes, uniques


def _decoded(
    convert: Callable[[str, pa.Array], pa.Array],
    name: str,
    text: pa.Array,
    empty: str,
    coded: dict[Any, Any],
) -> pa.Array:
    """``convert`` of text (of a dictionary array: of its texts, once for the whole column, a
    dictionary array whose null cells are ``empty``)."""
    if not pa.types.is_dictionary(text.type):
        return convert(name, text)
    key = ("converted", name)
    if key not in coded:
        empty_text = pa.array([empty], pa.string())
        coded[key] = pa.concat_arrays([convert(name, text.dictionary), empty_text])
    texts = coded[key]
    indices = pc.fill_null(text.indices, len(text.dictionary))
    return pa.DictionaryArray.from_arrays(indices, texts)


def _filled(text: pa.Array, name: str, coded: dict[Any, Any]) -> pa.Array:
    default = default_value(name)
    if default is None or not text.null_count:
        return text
    if pa.types.is_dictionary(text.type):
        return _decoded(lambda _name, texts: texts, name, text, default, coded)
    return pc.fill_null(text, default)


def _numbers(series: pd.Series, name: str, positions: np.ndarray) -> pa.Array:
    values = np.asarray(series.to_numpy()[positions], dtype=np.float64)
    found = pa.array(values, from_pandas=True).cast(arrow_type(name))
    default = default_value(name)
    return found if default is None else pc.fill_null(found, default)


def _by_python(text: pa.Array, mask: np.ndarray, name: str, cells: pa.Array) -> pa.Array:
    """``cells`` where ``mask`` is set replaced by the row reader's conversion of ``text``
    (each distinct cell once)."""
    if not mask.any():
        return cells
    picked = pc.dictionary_encode(text.filter(pa.array(mask)))
    raw: list[str] = picked.dictionary.to_pylist()
    done = json_texts(name, json_values(name, [cell(name, value) for value in raw]))
    return pc.replace_with_mask(
        cells, pa.array(mask), pa.array(done, pa.string()).take(picked.indices)
    )


def _lists(name: str, text: pa.Array) -> pa.Array:
    """A list field's JSON cells: an item without ``|`` written directly, others by Python."""
    before, after, _between = _LIST_PARTS[SPECS[name].kind]
    cells = pc.fill_null(pc.binary_join_element_wise(before, text, after, ""), "[]")
    return _by_python(text, _not_plain(text), name, cells)


def _json(name: str, text: pa.Array) -> pa.Array:
    """The attributes' JSON cells (``{}`` when empty; others through :func:`json.loads`)."""
    cells = pc.fill_null(text, "{}")
    return _by_python(text, np.asarray(pc.is_valid(text)), name, cells)


def _not_plain(text: pa.Array) -> np.ndarray:
    """Rows of ``text`` starting with a character of ``_NOT_PLAIN[0]`` or holding one of
    ``_NOT_PLAIN[1]`` or a character below U+0020."""
    text = text.cast(pa.string())
    found = rows_starting(text, _NOT_PLAIN[0])
    holding = rows_holding(text, _NOT_PLAIN[1], controls=True)
    return found if holding is None else found | holding
