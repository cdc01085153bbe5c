"""Two runs of ``empreinte report`` with the same ``--as-of`` write byte-identical files, PDFs
included (fixed attachment dates and PDF identifier, salted SVG ids, sorted outputs).

The second run is another process with another hash seed and time zone, so that set order or
local time leaking into an output shows up here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from audit.base.resources import example_dir
from tests.report.conftest import Rendered
from tests.report.report_support import WEASYPRINT_ICC_LEAK

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]

OUTPUTS = [
    "audit.json",
    "credits.en.txt",
    "credits.txt",
    "findings.csv",
    "generations.csv",
    "inputs.csv",
    "report.en.html",
    "report.en.pdf",
    "report.en.xlsx",
    "report.html",
    "report.pdf",
    "report.xlsx",
]


def test_second_run_is_byte_identical(rendered: Rendered, tmp_path: Path) -> None:
    out = tmp_path / "second"
    env = dict(os.environ, PYTHONHASHSEED="12345", TZ="Pacific/Auckland", LC_ALL="C.UTF-8")
    command = [sys.executable, "-m", "audit", "report", str(example_dir()), "--out", str(out)]
    command += ["--as-of", "2026-11-20", "--lang", "fr", "--lang", "en"]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS
    assert sorted(p.name for p in rendered.out.iterdir()) == OUTPUTS
    differ = [
        name for name in OUTPUTS if (out / name).read_bytes() != (rendered.out / name).read_bytes()
    ]
    assert differ == []
