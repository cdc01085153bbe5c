"""Two runs with the same inputs and ``--as-of`` give byte-identical audit.json, even from two
copies of the production in different places and with different hash seeds (set and dict order).
(The PDF's byte identity is tested with the report, tests/report/.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from audit.base.resources import example_dir

SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from audit.pipeline import Options, run
from audit.report.audit_json import audit_json
root, out = Path(sys.argv[1]), Path(sys.argv[2])
out.write_bytes(audit_json(run(root, Options(as_of=date(2026, 11, 20)))))
"""


def _audit_json(root: Path, out: Path, hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run(
        [sys.executable, "-c", SCRIPT, str(root), str(out)],
        check=True, capture_output=True, env=env, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    return out.read_bytes()


def test_audit_json_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "phare", tmp_path / "somewhere" / "else" / "phare"
    shutil.copytree(example_dir(), first)
    shutil.copytree(example_dir(), second)
    one = _audit_json(first, tmp_path / "one.json", "1")
    two = _audit_json(second, tmp_path / "two.json", "4242")
    assert one == two
    assert str(tmp_path).encode() not in one  # no absolute path of the machine leaks in
    assert b'"as_of": "2026-11-20"' in one
