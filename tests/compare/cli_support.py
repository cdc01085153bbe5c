"""Run the command line in a subprocess: PDF rendering stays out of the test process, and the
commands are registered there as the console script registers them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

COMMAND = "from audit.cli import main; main()"


def empreinte(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", COMMAND, *map(str, args)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
