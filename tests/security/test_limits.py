"""Denial of service (issue 18): every hostile shape of the red-team pass is refused with one
line, exit 2, before the parser or the walk that would have spent the time, the memory or the
stack (docs/security.md, "Limits"). The OTIO case runs in a child process: without the check,
OpenTimelineIO's C++ reader crashes the interpreter (SIGSEGV)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from audit.base.limits import MAX_DEPTH, MAX_LOG_FILE_BYTES, json_depth, xml_depth
from tests.security.hostile import invoke, one_line_error, small_film

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def film(tmp_path: Path) -> Path:
    return small_film(tmp_path / "film")


def _yaml_bomb(levels: int = 12) -> str:
    """The billion-laughs shape: each anchor a list of nine aliases of the one before."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join([*lines, f"title: *a{levels - 1}", ""])


def test_yaml_alias_bomb_is_refused(film: Path) -> None:
    (film / "production.yaml").write_text(_yaml_bomb(), encoding="utf-8")
    line = one_line_error(invoke("audit", str(film)))
    assert "production.yaml:2: YAML aliases (*name) are not accepted" in line
    assert len(line) < 300


@pytest.mark.parametrize(
    "text",
    ["title: " + "[" * 1200 + "]" * 1200 + "\n",
     "title: x\nnotes:\n" + "".join("  " * i + "- \n" for i in range(1, 400))],
    ids=["flow", "block"],
)  # fmt: skip
def test_deep_yaml_is_refused(film: Path, text: str) -> None:
    (film / "production.yaml").write_text(text, encoding="utf-8")
    line = one_line_error(invoke("audit", str(film)))
    assert f"YAML nested more than the limit of {MAX_DEPTH} levels" in line


def test_oversized_production_yaml_is_refused_unread(film: Path) -> None:
    with (film / "production.yaml").open("ab") as fh:
        fh.truncate(2 << 20)
    line = one_line_error(invoke("audit", str(film)))
    assert "production.yaml larger than the limit of 1 MiB" in line


def _timeline_only(film: Path, name: str, data: bytes) -> None:
    (film / "timeline" / "shots.csv").unlink()
    (film / "timeline" / name).write_bytes(data)


def test_otio_nested_50000_deep_is_refused_without_a_crash(film: Path) -> None:
    deep = '{"OTIO_SCHEMA": "Timeline.1", "metadata": {"x": ' + "[" * 50_000 + "]" * 50_000
    _timeline_only(film, "cut.otio", (deep + "}}").encode())
    done = subprocess.run(
        [sys.executable, "-m", "audit", "audit", str(film)],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert done.stderr.splitlines() == [
        "empreinte: error: timeline/cut.otio: invalid JSON: nested too deeply (50002 levels, more "
        f"than the limit of {MAX_DEPTH})"
    ]


def test_xmeml_nested_1200_deep_is_refused(film: Path) -> None:
    body = "<sequence><media>" + "<clipitem>" * 1200 + "</clipitem>" * 1200 + "</media></sequence>"
    _timeline_only(
        film, "cut.xml", f'<?xml version="1.0"?><xmeml version="4">{body}</xmeml>'.encode()
    )
    line = one_line_error(invoke("audit", str(film)))
    assert "timeline/cut.xml: XML nested 1203 levels deep" in line


def test_xml_entities_are_refused(film: Path) -> None:
    doc = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<xmeml><sequence><name>&b;</name></sequence></xmeml>"
    )
    _timeline_only(film, "cut.xml", doc.encode())
    line = one_line_error(invoke("audit", str(film)))
    assert "XML declares entities" in line


@pytest.mark.parametrize("adapter", ["comfyui", "kling", "suno"])
def test_deep_json_log_is_refused(tmp_path: Path, adapter: str) -> None:
    """Read as a platform's JSON (the adapter forced: no sniffer claims a bare array)."""
    path = tmp_path / "history.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    line = one_line_error(invoke("ingest", "--adapter", adapter, str(path)))
    assert "history.json:1:1: file: invalid JSON: nested too deeply (100000 levels" in line


def test_log_over_the_size_limit_is_refused_unread(film: Path) -> None:
    """A sparse file: its size is over the limit, its blocks are never written nor read."""
    big = film / "logs" / "huge.csv"
    with big.open("wb") as fh:
        fh.truncate(MAX_LOG_FILE_BYTES + 1)
    line = one_line_error(invoke("audit", str(film)))
    assert "logs/huge.csv: log file larger than the limit of 256 MiB" in line


@pytest.mark.parametrize("folder", ["timeline", "logs", "rights"])
def test_input_folder_linked_to_root_is_refused_before_any_walk(
    film: Path, folder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.rmtree(film / folder)
    (film / folder).symlink_to("/", target_is_directory=True)
    walked: list[Path] = []
    real_rglob = Path.rglob

    def recording(self: Path, pattern: str) -> object:
        walked.append(self)
        return real_rglob(self, pattern)

    monkeypatch.setattr(Path, "rglob", recording)
    line = one_line_error(invoke("audit", str(film)))
    assert "link points outside the production folder" in line
    assert film / folder not in walked


def test_fifo_in_logs_is_reported(film: Path) -> None:
    os.mkfifo(film / "logs" / "pipe.csv")
    line = one_line_error(invoke("audit", str(film)))
    assert "logs/pipe.csv: neither a file nor a folder" in line


def test_folder_named_like_a_ledger_is_reported(film: Path) -> None:
    (film / "rights" / "consents.csv").unlink()
    (film / "rights" / "consents.csv").mkdir()
    line = one_line_error(invoke("audit", str(film)))
    assert "rights/consents.csv: is not a file" in line


def test_quoted_values_are_cut_to_a_readable_length(film: Path) -> None:
    text = (film / "production.yaml").read_text(encoding="utf-8")
    (film / "production.yaml").write_text(text + f"work_type: {'x' * 100_000}\n", "utf-8")
    line = one_line_error(invoke("audit", str(film)))
    assert "more characters)" in line
    assert len(line) < 600


def test_depth_counters_skip_strings_and_comments() -> None:
    assert json_depth('{"a": "[[[[", "b": [[1], {"c": "\\"]"}]}') == 3
    assert xml_depth(b"<a><!-- <b><b><b> --><b/><c><![CDATA[<d><d>]]></c></a>") == 2


@pytest.mark.parametrize("value", ["nan", "inf", "-25", "1e999"])
def test_rate_that_is_no_frame_rate_is_refused(film: Path, value: str) -> None:
    line = one_line_error(invoke("estimate", str(film), "--rate", value))
    assert "--rate" in line


@pytest.mark.parametrize("value", [".nan", ".inf", "1e999"])
def test_frame_rate_that_is_no_number_is_refused(film: Path, value: str) -> None:
    text = (film / "production.yaml").read_text(encoding="utf-8")
    (film / "production.yaml").write_text(f"{text}frame_rate: {value}\n", encoding="utf-8")
    line = one_line_error(invoke("estimate", str(film)))
    assert "frame_rate" in line
