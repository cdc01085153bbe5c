"""Many small files (issue 18): ``python -m bench.many_files [--files N] [--report]``.

Writes a production whose ``logs/`` holds N one-record canonical CSV files (default 50,000, the
red-team shape: 13 minutes and 8.7 GB before), then times ``ingest_folder`` on it in a fresh
interpreter (and, with ``--report``, ``empreinte report`` in English), printing wall time and
peak RSS. Target: ingest linear in the number of files, 50,000 files in under a minute on the
project's 2-core machine (docs/security.md). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "work" / "many-files"
HEADER = "id,platform,modality,created_at,model,prompt,outputs\n"

_MEASURE = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from audit.ingest.walk import ingest_folder
result = ingest_folder(Path(sys.argv[1]))
print(json.dumps({"seconds": time.perf_counter() - started, "files": len(result.files),
                  "accepted": result.totals()["accepted"],
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def generate(root: Path, files: int) -> None:
    from audit.forecast.skeleton import write_skeleton

    stamp = root / ".files"
    if stamp.is_file() and stamp.read_text() == str(files):
        return
    if not (root / "production.yaml").is_file():
        write_skeleton(root)
    logs = root / "logs"
    for old in logs.glob("gen-*.csv"):
        old.unlink()
    for i in range(files):
        row = (f"midjourney:{i:08x},midjourney,image,2026-09-01T10:{i // 60 % 60:02d}:{i % 60:02d}Z,"
               f"v7,shot {i},[\"SC01_SH{i % 999:03d}_{i}.png\"]\n")  # fmt: skip
        (logs / f"gen-{i:06d}.csv").write_text(HEADER + row, encoding="utf-8")
    shots = "shot_id,duration_s,media\n" + "".join(
        f"SC01_SH{i:03d},2,SC01_SH{i:03d}_{i}.png\n" for i in range(1, 31)
    )
    (root / "timeline" / "shots.csv").write_text(shots, encoding="utf-8")
    stamp.write_text(str(files))


def measure(root: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(root)], cwd=HERE.parent,
                          capture_output=True, text=True, check=True)  # fmt: skip
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--report", action="store_true", help="also time empreinte report")
    args = parser.parse_args()
    root = WORK / str(args.files)
    generate(root, args.files)
    figures = measure(root)
    print(  # noqa: T201
        f"ingest of {args.files:,} one-record files: {figures['seconds']:.1f} s, "
        f"{figures['accepted']:,.0f} accepted, peak RSS {figures['peak_mib']:,.0f} MiB"
    )
    if args.report:
        started = time.perf_counter()
        command = [sys.executable, "-m", "audit", "report", str(root), "--lang", "en",
                   "--as-of", "2026-11-20", "--lenient"]  # fmt: skip
        done = subprocess.run(command, cwd=HERE.parent, capture_output=True, text=True, check=False)
        print(  # noqa: T201
            f"report: exit {done.returncode}, {time.perf_counter() - started:.1f} s "
            f"{done.stderr.strip()[-300:]}"
        )


if __name__ == "__main__":
    main()
