"""How generations.parquet is encoded (audit/report/parquet_blocks.py): dictionary pages for the
columns of few values, handed to Arrow's writer as dictionary arrays cut to the texts each block
uses; plain or delta pages for the columns of one value per generation; statistics for the
numbers, dates and booleans; the typed columns read back without a stored Arrow schema."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from audit.pipeline import AuditRun
from audit.report import generations
from audit.report.parquet_blocks import ENCODINGS, PER_ROW, first_used


def _dictionary_array(seed: int) -> pa.DictionaryArray:
    """Random codes into texts that repeat, hold a null and are partly unused; null codes."""
    rng = random.Random(seed)
    texts = [rng.choice(["kling", "suno", "", "=x", "Ünï", None]) for _ in range(rng.randint(1, 9))]
    codes = [
        None if rng.random() < 0.2 else rng.randrange(len(texts)) for _ in range(rng.randint(0, 60))
    ]
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int64()), pa.array(texts, pa.string()))


@pytest.mark.parametrize("seed", range(40))
def test_first_used_is_the_dictionary_encoding_of_the_texts(seed: int) -> None:
    values = _dictionary_array(seed)
    found = first_used(values)
    assert found.equals(pc.dictionary_encode(values.cast(pa.string())))
    assert found.dictionary.null_count == 0
    assert len(set(found.dictionary.to_pylist())) == len(found.dictionary)


@pytest.fixture(scope="module")
def written(example_run: AuditRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generations, "CHUNK_ROWS", 200)
        generations.write_generations(
            example_run, out / "g.csv", out / "g.parquet", False, {}, head=False
        )
    return out / "g.parquet"


def test_dictionary_pages_only_for_columns_of_few_values(written: Path) -> None:
    metadata = pq.ParquetFile(written).metadata
    names = [metadata.schema.column(k).name for k in range(metadata.num_columns)]
    for group in range(metadata.num_row_groups):
        for k, name in enumerate(names):
            chunk = metadata.row_group(group).column(k)
            if chunk.physical_type != "BOOLEAN":  # booleans: bits, never a dictionary
                assert ("RLE_DICTIONARY" in chunk.encodings) == (name not in PER_ROW), name
            if name in ENCODINGS:
                assert ENCODINGS[name] in chunk.encodings, name


def test_statistics_of_numbers_dates_and_booleans_only(written: Path) -> None:
    metadata = pq.ParquetFile(written).metadata
    group = metadata.row_group(0)
    kinds = {metadata.schema.column(k).name: group.column(k) for k in range(group.num_columns)}
    assert kinds["created_at"].statistics.has_min_max
    assert kinds["width"].statistics.has_min_max
    assert kinds["energy_wh_central"].statistics.has_min_max
    assert kinds["platform"].statistics is None
    assert kinds["id"].statistics is None


def test_columns_read_back_typed_without_a_stored_schema(written: Path) -> None:
    file = pq.ParquetFile(written)
    assert b"ARROW:schema" not in (file.metadata.metadata or {})
    schema = pq.read_table(written).schema
    assert schema.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("platform").type == pa.string()
    assert schema.field("shot_id").type == pa.string()
    assert schema.field("kept").type == pa.bool_()
    assert schema.field("seed").type == pa.int64()
