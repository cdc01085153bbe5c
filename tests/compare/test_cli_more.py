"""The whatif, export and compare commands: output, files, one-line errors, fast --help.

They run in a subprocess (tests/compare/cli_support.py): importing audit.cli.more here would add
its commands to the shared Typer app of every other test."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from audit.base.resources import example_dir
from audit.tools.compare import load_entries
from tests.compare.cli_support import empreinte

EXAMPLE = example_dir()


def test_help_lists_the_commands_without_heavy_imports() -> None:
    done = empreinte("--help")
    assert done.returncode == 0
    for command in ("compare", "whatif", "export"):
        assert command in done.stdout
    heavy = "{'pandas', 'weasyprint', 'matplotlib'}"
    probe = f"import sys, audit.cli.more; print(sorted({heavy} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_whatif_json() -> None:
    done = empreinte("whatif", EXAMPLE, "--discard-ratio", "0.5", "--as-of", "2026-11-20", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["changes"]["removed_generations"] == 264
    assert len(data["rows"]) == 8  # 4 quantities × total, per finished minute
    energy = data["rows"][0]
    assert (energy["quantity"], energy["scope"]) == ("energy_wh", "total")
    assert energy["change_central"] < 0
    assert energy["change_central"] == energy["variant_central"] - energy["baseline_central"]


def test_whatif_out_feeds_compare(tmp_path: Path) -> None:
    args = ["--platform", "kling=veo", "--resolution", "720p", "--as-of", "2026-11-20"]
    done = empreinte("whatif", EXAMPLE, *args, "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("What-if: platform kling=veo; resolution=720p\n")
    assert "told apart" in done.stdout
    assert done.stdout.endswith(f"{tmp_path / 'audit.json'}\n{tmp_path / 'whatif.csv'}\n")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "whatif.csv").read_text("utf-8"))))
    assert len(rows) == 8
    (entry,) = load_entries([tmp_path / "audit.json"])
    assert entry.whatif == "platform kling=veo; resolution=720p"
    assert entry.platform_mix.get("kling") is None
    assert entry.generations == 591


def test_whatif_needs_a_change() -> None:
    done = empreinte("whatif", EXAMPLE)
    assert done.returncode == 2
    assert done.stderr == (
        "empreinte: error: whatif: nothing to change: give at least one assumption; "
        "allowed: --discard-ratio, --platform, --region, --resolution\n"
    )


def test_export_to_stdout_and_file(tmp_path: Path) -> None:
    done = empreinte("export", EXAMPLE, "--format", "carbonclap", "--as-of", "2026-11-20")
    assert done.returncode == 0, done.stderr
    lines = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [line["role"] for line in lines].count("line item") == 1
    target = tmp_path / "albert.csv"
    done = empreinte("export", EXAMPLE, "--format", "albert", "--out", target)
    assert (done.returncode, done.stdout) == (0, f"{target}\n")
    assert target.read_text(encoding="utf-8").startswith("role,section,item,unit,low,central")


def test_export_bad_format_and_lang() -> None:
    done = empreinte("export", EXAMPLE, "--format", "pear")
    assert (done.returncode, done.stderr) == (
        2,
        "empreinte: error: --format: unknown export format (got 'pear'); "
        "allowed: albert, carbonclap, csv\n",
    )
    done = empreinte("export", EXAMPLE, "--lang", "de")
    assert (done.returncode, done.stderr) == (
        2,
        "empreinte: error: --lang: unknown language (got 'de'); allowed: en, fr\n",
    )
