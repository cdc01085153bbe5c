"""generations.parquet, one row group per block of generations.csv, streamed into its file.

Columns are typed from the record's fields and the estimate's dtypes, the same for every block.
How the file is encoded (docs/performance.md, "B5"):

- the text columns of few distinct values (platform, model, status, the shot, the estimate's
  notes…) are handed to Arrow's writer as dictionary arrays, each block's dictionary holding the
  texts its rows use in order of first appearance (what hashing the texts would give): the
  writer writes the codes as they are instead of hashing every cell, and nothing is decoded;
- the columns of about one value per generation (:data:`PER_ROW`) have no dictionary page (one
  as long as the column costs a hash per cell and is dropped for plain pages anyway); the dates
  and seeds are delta-encoded, the line numbers (text) by shared prefixes (:data:`ENCODINGS`);
- statistics (each page's and row group's minimum and maximum) are kept for the numbers, dates
  and booleans, not for the texts (a fifth of the writer's time at archive scale);
- the Arrow schema is not stored in the file (it would name the dictionaries): readers type the
  columns from Parquet's own logical types, the same as before (text, UTC timestamps, integers,
  doubles, booleans).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from audit.base.models import COLUMNS
from audit.report.arrowcsv import python_cells
from audit.report.audit_json import field_kind
from audit.rights.base import redact_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from audit.pipeline import AuditRun

#: Columns of about one value per generation: plain pages, no dictionary.
PER_ROW = frozenset({"id", "created_at", "seed", "outputs", "source_locator"})
#: Their encodings other than plain: sorted dates and seeds as deltas, line numbers by prefix.
ENCODINGS = {
    "created_at": "DELTA_BINARY_PACKED",
    "seed": "DELTA_BINARY_PACKED",
    "source_locator": "DELTA_BYTE_ARRAY",
}
_CODED_TEXT = pa.dictionary(pa.int32(), pa.string())


class ParquetBlocks:
    """generations.parquet streamed into ``path`` a block at a time (``names``: ``--redact``'s,
    replaced in every text)."""

    def __init__(self, run: AuditRun, names: dict[str, str], path: Any) -> None:
        self.path = path
        self.names = names
        self.schema: pa.Schema | None = None
        self.estimate = run.footprint.table.dtypes.to_dict()
        self.writer: pq.ParquetWriter | None = None

    def add(self, block: pd.DataFrame | Sequence[Any]) -> None:
        """Write ``block`` (a frame, or :class:`~audit.report.generations_arrow.Column` s) as
        one row group."""
        if isinstance(block, pd.DataFrame):
            labels = [str(name) for name in block.columns]
        else:
            labels = [c.name for c in block]
        if self.schema is None:
            self.schema = pa.schema([(name, self._type(name)) for name in labels])
            self.writer = _writer(self.path, self.schema)
        if isinstance(block, pd.DataFrame):
            found = [self._array(block[f.name], f.type) for f in self.schema]
        else:
            found = [c.values for c in block]
        arrays = [self._stored(a, f.type) for a, f in zip(found, self.schema, strict=True)]
        assert self.writer is not None
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))

    def _type(self, name: str) -> pa.DataType:
        kind = field_kind(name) if name in COLUMNS else None
        if kind is None and name in self.estimate:
            kind = {"f": "float", "i": "int", "u": "int", "b": "bool"}.get(
                self.estimate[name].kind, "text"
            )
        types = {"float": pa.float64(), "int": pa.int64(), "bool": pa.bool_()}
        if kind == "datetime":
            return pa.timestamp("us", tz="UTC")
        return types.get(kind or "text", pa.string() if name in PER_ROW else _CODED_TEXT)

    def _stored(self, values: pa.Array, kind: pa.DataType) -> pa.Array:
        """``values`` as the schema types them, texts redacted."""
        if pa.types.is_dictionary(kind):
            return self._coded(values)
        values = values if values.type == kind else values.cast(kind)
        if pa.types.is_string(kind) and self.names:
            return python_cells(values, lambda text: redact_text(text, self.names))
        return values

    def _coded(self, values: pa.Array) -> pa.Array:
        """Texts as a dictionary array of the texts used, in order of first appearance."""
        if not pa.types.is_dictionary(values.type):
            return pc.dictionary_encode(self._stored(values, pa.string()))
        found = first_used(values)
        if not self.names:
            return found
        texts = found.dictionary.to_pylist()
        hidden = pa.array([redact_text(text, self.names) for text in texts], pa.string())
        if len(set(hidden.to_pylist())) < len(hidden):  # two texts redacted alike
            return pc.dictionary_encode(hidden.take(found.indices))
        return pa.DictionaryArray.from_arrays(found.indices, hidden)

    def _array(self, column: pd.Series, kind: pa.DataType) -> pa.Array:
        """A frame's column as Arrow (texts as text: :meth:`_stored` codes and redacts them)."""
        if pa.types.is_timestamp(kind):
            values = pd.to_datetime(column, utc=True, format="ISO8601").dt.as_unit("us")
            return pa.array(values, type=kind, from_pandas=True)
        text = pa.types.is_string(kind) or pa.types.is_dictionary(kind)
        return pa.array(column, type=pa.string() if text else kind, from_pandas=True)

    def close(self) -> None:
        """Finish the file (its footer); no block: an empty file."""
        if self.writer is not None:
            self.writer.close()
        else:  # no block: an empty file, as before
            with open(self.path, "wb"):
                pass


def _writer(path: Any, schema: pa.Schema) -> pq.ParquetWriter:
    """Zstandard; dictionary pages but for :data:`PER_ROW`; :data:`ENCODINGS`; statistics
    (minimum, maximum, nulls) of the numbers, dates and booleans only; no Arrow schema stored
    (the dictionary types are the writer's business, not the reader's)."""
    names = set(schema.names)
    texts = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_dictionary(f.type)]
    return pq.ParquetWriter(
        str(path),
        schema,
        compression="zstd",
        use_dictionary=[name for name in schema.names if name not in PER_ROW],
        column_encoding={name: how for name, how in ENCODINGS.items() if name in names},
        write_statistics=[name for name in schema.names if name not in texts],
        store_schema=False,
    )


def first_used(values: pa.DictionaryArray) -> pa.DictionaryArray:
    """A dictionary array of texts, its dictionary cut to the distinct texts its rows use, in
    order of first appearance: ``pc.dictionary_encode`` of its texts (a null text: a null row),
    what Arrow's writer can write as it is."""
    dictionary = values.dictionary.cast(pa.string())
    size, count = len(dictionary), len(values)
    indices = values.indices
    codes = (pc.fill_null(indices, -1) if indices.null_count else indices).to_numpy()
    first = np.full(size + 1, count, dtype=np.int64)  # [size]: the null rows (code -1)
    first[codes[::-1]] = np.arange(count - 1, -1, -1)  # the last write wins: the first row
    first[size] = count
    if dictionary.null_count:  # a null among the texts: its rows are null
        first[:size][~np.asarray(dictionary.is_valid())] = count
    used = np.flatnonzero(first < count)
    order = used[np.argsort(first[used], kind="stable")]
    texts = pc.dictionary_encode(dictionary.take(pa.array(order)))  # a text given two codes
    remap = np.full(size + 1, -1, dtype=np.int32)
    remap[order] = texts.indices.to_numpy()
    found = remap[codes]
    mask = found < 0
    at = pa.array(found, mask=mask) if mask.any() else pa.array(found)
    return pa.DictionaryArray.from_arrays(at, texts.dictionary)
