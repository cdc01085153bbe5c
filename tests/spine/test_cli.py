"""The command line: every command listed, one-line errors, exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.cli import app

COMMANDS = [
    "init",
    "demo",
    "report",
    "ingest",
    "estimate",
    "audit",
    "credits",
    "coefficients",
    "platforms",
    "version",
    "docs",
    "compare",
    "whatif",
    "export",
    "measure",
    "plan",
    "forecast",
]
runner = CliRunner()


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_missing_folder_is_one_line_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "nope")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0] == f"empreinte: error: {tmp_path / 'nope'}: not a folder"


def test_bad_production_yaml_is_one_line_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path)]).exit_code == 0
    path = tmp_path / "production.yaml"
    path.write_text(path.read_text().replace("runtime_s: 90", "runtime_s: -3"))
    result = runner.invoke(app, ["audit", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "production.yaml: runtime_s: Input should be greater than 0 (got -3)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", ".", "--lang", "de"], "--lang: unknown language (got 'de'); allowed: en, fr"),
        (["audit", ".", "--fail-on", "panic"], "--fail-on: unknown severity (got 'panic')"),
        (["report", ".", "--as-of", "20/11/2026"], "--as-of: not a date (YYYY-MM-DD)"),
        (["ingest", "x.json", "--adapter", "klingg"], "no such file"),
    ],
)
def test_bad_options_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


def test_console_script_help_runs_in_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "audit", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "Footprint" in done.stdout


def _film_with_a_bad_row(tmp_path: Path) -> Path:
    assert runner.invoke(app, ["init", str(tmp_path)]).exit_code == 0
    (tmp_path / "logs" / "journal.csv").write_text(
        "platform,modality,created_at,width\n"
        "kling,video,2026-09-01T10:00:00Z,1280\n"
        "kling,photo,2026-09-01T10:01:00Z,1280\n",
        encoding="utf-8",
    )
    return tmp_path


def test_estimate_lenient_says_what_was_rejected(tmp_path: Path) -> None:
    """Nothing is lost: estimate --lenient lists each reject and the counts add up."""
    film = _film_with_a_bad_row(tmp_path)
    result = runner.invoke(app, ["estimate", str(film), "--as-of", "2026-11-20", "--lenient"])
    assert result.exit_code == 0, result.output
    assert "rejected: logs/journal.csv:3: modality:" in result.output
    assert (
        "records: 2 read, 1 accepted (0 still in progress, estimated as full runs), "
        "0 merged as duplicates, 1 rejected"
    ) in result.output
    as_json = runner.invoke(
        app, ["estimate", str(film), "--as-of", "2026-11-20", "--lenient", "--json"]
    )
    data = json.loads(as_json.stdout)
    assert (data["records"]["accepted"], data["records"]["rejected"]) == (1, 1)
    assert data["rejects"][0].startswith("logs/journal.csv:3: modality:")
