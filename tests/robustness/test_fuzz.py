"""Hypothesis fuzzing of the parsers, bounded to a few seconds in all (``max_examples``).

Each parser either returns or raises the one documented error (ValueError for the textio helpers,
InputError/RecordError for files and records); never anything else. The canonical CSV's column
reader must give exactly what the row reader gives, whatever the text.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.base.errors import InputError, RecordError
from audit.base.textio import decode, from_epoch, from_iso, parse_number, read_csv_rows
from audit.ingest import canonical
from audit.ingest.a1111 import parse_infotext, parse_params
from audit.ingest.base import Source
from audit.ingest.comfyui import analyse, parse_graph
from audit.ingest.midjourney import parse_command

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FILES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

CELL = st.one_of(
    st.sampled_from(["", " ", "5", "5,06", "-1", "nan", "inf", "1e3", "1 234,5", "x", '"q"',
                     "[1]", "{}", "[", "a|b", "kling", "video", "2026-09-01T10:00:00Z", "1e400",
                     "2026-09-01 10:00", "²", "\t7\t", "true", "oui", "True", "FALSE", "007",
                     "2026-09-01T10:00:60Z", "0000-01-01T00:00:00Z", "2026-09-01T10:00:00+23:59",
                     "2026-1-01T10:00:00+01:00", "2026-09-01T10:00:00z", " 2026-09-01T10:00:00Z"]),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12),
)  # fmt: skip
COLUMN = st.sampled_from(
    ["id", "platform", "modality", "created_at", "duration_s", "width", "outputs", "inputs",
     "kept", "prompt", "seed", "attributes", "source_file"]
)  # fmt: skip


@FAST
@given(st.binary(max_size=64))
def test_decode_never_fails_otherwise(data: bytes) -> None:
    try:
        text = decode(data)
    except UnicodeDecodeError:
        return
    assert "\ufeff" not in text[:1]


@FAST
@given(st.text(max_size=20))
def test_parse_number_only_raises_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        assert isinstance(parse_number(text), float)


@FAST
@given(st.one_of(st.floats(allow_nan=True), st.integers(-(10**30), 10**30)))
def test_from_epoch_only_raises_value_error(value: float) -> None:
    with contextlib.suppress(ValueError):
        assert from_epoch(value).tzinfo is not None


@FAST
@given(st.one_of(st.text(max_size=40), st.datetimes().map(lambda d: d.isoformat() + "+05:00")))
def test_from_iso_only_raises_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        assert from_iso(text).utcoffset() is not None


def _csv(header: list[str], rows: list[list[str]], sep: str) -> str:
    def quote(cell: str) -> str:
        return (
            '"' + cell.replace('"', '""') + '"' if any(c in cell for c in f'{sep}"\n\r') else cell
        )

    return "".join(sep.join(quote(c) for c in line) + "\n" for line in [header, *rows])


@FILES
@given(
    st.lists(COLUMN, min_size=1, max_size=6, unique=True),
    st.lists(st.lists(CELL, min_size=0, max_size=7), max_size=6),
    st.sampled_from([",", ";"]),
)
def test_canonical_column_reader_equals_row_reader(
    tmp_path: Path, header: list[str], rows: list[list[str]], sep: str
) -> None:
    path = tmp_path / "journal.csv"
    path.write_text(_csv(header, rows, sep), encoding="utf-8")
    source = Source(path, "journal.csv")
    adapter = canonical.CanonicalAdapter()
    try:
        by_rows = list(adapter.read_rows(source, read_csv_rows(path)))
    except InputError as exc:
        by_rows = [str(exc)]  # type: ignore[list-item]
    try:
        by_columns = adapter.read_by_columns(source)
    except InputError as exc:
        by_columns = [str(exc)]  # type: ignore[list-item]
    if by_columns is None:
        return  # a file the column reader leaves to the row reader
    assert by_columns == by_rows


@FAST
@given(st.text(max_size=80))
def test_midjourney_parse_command(text: str) -> None:
    cmd = parse_command(text)
    assert "--" not in cmd.prompt.split(" ", 1)[0] or not cmd.prompt.startswith("--")
    assert cmd.seed is None or cmd.seed >= 0


@FAST
@given(
    st.text(
        alphabet=st.sampled_from(" -abcdefghijklmnopqrstuvwxyz0123456789:²<>/.\"'"), max_size=60
    )
)
def test_midjourney_parameters(text: str) -> None:
    parse_command("a cat --" + text)


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
NODE = st.fixed_dictionaries(
    {
        "class_type": st.sampled_from(
            ["KSampler", "CLIPTextEncode", "SaveImage", "VHS_VideoCombine", "LoadImage",
             "CheckpointLoaderSimple", "EmptyLatentImage", "ConditioningZeroOut", "Other"]
        ),
        "inputs": st.dictionaries(
            st.sampled_from(["text", "seed", "steps", "width", "height", "positive", "negative",
                             "image", "ckpt_name", "model", "frame_rate", "length"]),
            st.one_of(JSON_VALUES, st.tuples(st.sampled_from(["1", "2", "3", "x"]),
                      st.integers(0, 2)).map(list)),
            max_size=5,
        ),
    }
)  # fmt: skip


def _error_of(call: Callable[[], object]) -> RecordError | None:
    """The RecordError ``call`` raises, or None (any other exception propagates)."""
    try:
        call()
    except RecordError as exc:
        return exc
    return None


@FAST
@given(st.dictionaries(st.sampled_from(["1", "2", "3", "10", "²", "a"]), NODE, max_size=5))
def test_comfyui_graph(graph: dict[str, object]) -> None:
    error = _error_of(lambda: analyse(parse_graph(json.dumps(graph), "prompt")))
    if error is not None:
        assert error.field
        assert "\n" not in str(error)


@FAST
@given(st.one_of(st.text(max_size=40), JSON_VALUES.map(json.dumps)))
def test_comfyui_graph_text(text: str) -> None:
    error = _error_of(lambda: analyse(parse_graph(text, "prompt")))
    if error is not None:
        assert str(error.field).startswith("prompt")


@FAST
@given(st.text(max_size=120))
def test_a1111_infotext(text: str) -> None:
    info = parse_infotext(text)
    assert isinstance(info.params, dict)
    assert "\r\n" not in info.prompt


@FAST
@given(st.lists(st.tuples(st.text(alphabet="abcSteps iz", min_size=1, max_size=8),
                          st.text(max_size=10)), max_size=5))  # fmt: skip
def test_a1111_params_round_trip(pairs: list[tuple[str, str]]) -> None:
    line = ", ".join(f"{k}: {json.dumps(v)}" for k, v in pairs)
    parsed = parse_params(line)
    if parsed is not None:
        assert set(parsed) <= {k.strip() for k, _ in pairs}


def test_deep_nesting_is_one_line(tmp_path: Path) -> None:
    """JSON nested deeper than Python's recursion limit: one RecordError line, no traceback."""
    with pytest.raises(RecordError) as caught:
        parse_graph("[" * 100_000 + "]" * 100_000, "prompt")
    assert str(caught.value) == "prompt: invalid JSON: nested too deeply"
