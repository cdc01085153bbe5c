"""The benchmark bodies, each run in its own process: ``python -m bench.cases NAME OUT.json ARGS``.

Each writes its figures as JSON to ``OUT.json``, with the process's peak resident set size from
``resource.getrusage`` (imports included). Wall times come from ``time.perf_counter``.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
AS_OF = "2026-11-20"


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _timed(figures: dict[str, Any], name: str, func: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    out = func()
    figures[f"{name}_s"] = round(time.perf_counter() - start, 3)
    return out


def b1_floor(root: Path) -> dict[str, Any]:
    """The floor: pandas reads the same canonical CSV (default C engine, types inferred)."""
    import pandas as pd

    figures: dict[str, Any] = {}
    cpu = time.process_time()
    frame = _timed(figures, "read_csv", lambda: pd.read_csv(root / "logs" / "generations.csv"))
    figures["cpu_s"] = round(time.process_time() - cpu, 3)
    figures["rows"] = len(frame)
    figures["wall_s"] = figures["read_csv_s"]
    return figures


def b1_pipeline(root: Path) -> dict[str, Any]:
    """Ingest + link + estimate + aggregate, as ``pipeline.run`` calls them (no rights, no PDF)."""
    from datetime import date

    from audit.base.gc import small_pages
    from audit.base.production import load_production
    from audit.ingest.provenance import scan_provenance
    from audit.ingest.walk import ingest_folder, paused_gc
    from audit.link.linker import link
    from audit.pipeline import Options, instance_ids, load_timeline, run_aggregate, run_estimate

    options = Options(as_of=date.fromisoformat(AS_OF))
    figures: dict[str, Any] = {}
    start, cpu = time.perf_counter(), time.process_time()
    with paused_gc(), small_pages():  # as pipeline.run
        production = load_production(root)
        ingested = _timed(figures, "ingest", lambda: ingest_folder(root))
        timeline = _timed(figures, "timeline", lambda: load_timeline(root, production, options))
        ids = instance_ids(scan_provenance(root))
        linked = _timed(
            figures, "link", lambda: link(ingested.table, timeline, root, instance_ids=ids)
        )
        footprint = _timed(figures, "estimate", lambda: run_estimate(production, linked))
        aggregates = _timed(
            figures, "aggregate", lambda: run_aggregate(production, linked, footprint)
        )
    figures["wall_s"] = round(time.perf_counter() - start, 3)
    figures["cpu_s"] = round(time.process_time() - cpu, 3)
    figures["records"] = ingested.totals()["records"]
    figures["generations"] = aggregates.generations
    figures["shots"] = sum(unit.kind == "picture" for unit in linked.units)
    figures["kept_outputs"] = aggregates.kept_outputs
    figures["signatures"] = len(footprint.by_signature)
    figures["energy_kwh_central"] = round(aggregates.totals["energy_wh"].central / 1000, 3)
    return figures


def b2_report(root: Path) -> dict[str, Any]:
    """``empreinte report`` as a user runs it: the pipeline, then report.pdf and report.html."""
    from datetime import date

    from audit.pipeline import Options, run
    from audit.report.write import write_all

    figures: dict[str, Any] = {}
    imported = time.perf_counter()
    figures["import_s"] = round(imported - STARTED, 3)
    audit = _timed(figures, "pipeline", lambda: run(root, Options(date.fromisoformat(AS_OF))))
    out = root / "out"
    written = _timed(figures, "render", lambda: write_all(audit, out, ["en"], False))
    figures["wall_s"] = round(time.perf_counter() - STARTED, 3)
    figures["cpu_s"] = round(time.process_time(), 3)
    figures["generations"] = audit.aggregates.generations
    figures["shots"] = len(audit.link.shots)
    figures["files"] = sorted(Path(p).name for p in written)
    figures["pdf_bytes"] = (out / "report.pdf").stat().st_size
    return figures


def b5_report(root: Path) -> dict[str, Any]:
    """The real ``empreinte report --lang fr`` of B1's production, as a user runs it: the CLI in
    its own process (rules, PDF, HTML, CSVs); its wall time and the child's peak RSS."""
    import subprocess
    import tempfile

    command = [str(Path(sys.executable).with_name("empreinte")), "report", str(root), "--lang",
               "fr", "--as-of", AS_OF]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        done = subprocess.run([*command, "--out", tmp], capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # before the bound's process
        sizes = {p.name: p.stat().st_size for p in Path(tmp).iterdir() if p.is_file()}
        bound = _bound(Path(tmp), root) if done.returncode == 0 else {}
    return {"exit_code": done.returncode, "stderr_tail": done.stderr[-400:],
            "wall_s": round(wall, 3), "child_peak_rss_mib": round(children.ru_maxrss / 1024, 1),
            "child_cpu_s": round(children.ru_utime + children.ru_stime, 3),
            "output_bytes": sizes, "bound": bound}  # fmt: skip


def _bound(folder: Path, root: Path) -> dict[str, Any]:
    """``bench.bound`` on the report's outputs, in a fresh process of its own."""
    import subprocess

    out = folder / "bound.json"
    command = [sys.executable, "-m", "bench.cases", "b5-bound", str(out), str(folder), str(root)]
    subprocess.run(command, cwd=Path(__file__).resolve().parent.parent, check=True)
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return figures


def b6_scale(root: Path) -> dict[str, Any]:
    """The scale extra on B1's production: estimate + aggregate on one machine, then on Dask
    partitions (Parquet in and out) on a local cluster of two workers; times and agreement."""
    import tempfile
    from datetime import date

    import distributed

    from audit.base.production import load_production
    from audit.estimate.scale import estimate_parquet, table_frame, write_generations
    from audit.ingest.walk import ingest_folder, paused_gc
    from audit.link.linker import link
    from audit.pipeline import Options, load_timeline, run_aggregate, run_estimate

    figures: dict[str, Any] = {}
    production = load_production(root)
    with paused_gc():
        linked = link(ingest_folder(root).table,
                      load_timeline(root, production, Options(date.fromisoformat(AS_OF))), root,
                      instance_ids={})  # fmt: skip
        footprint = _timed(
            figures, "one_machine_estimate", lambda: run_estimate(production, linked)
        )
        single = _timed(figures, "one_machine_aggregate",
                        lambda: run_aggregate(production, linked, footprint))  # fmt: skip
    frame = table_frame(linked.table, linked.shot_ids, linked.kept)
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.parquet", Path(tmp) / "out.parquet"
        figures["partitions"] = _timed(figures, "write_parquet",
                                       lambda: write_generations(frame, source, 100_000))  # fmt: skip
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                           dashboard_address=None)  # fmt: skip
        with cluster, distributed.Client(cluster):
            result = _timed(figures, "dask_estimate_aggregate",
                            lambda: estimate_parquet(source, target, production))  # fmt: skip
    central = single.totals["energy_wh"].central
    figures["records"] = len(frame)
    figures["relative_difference_energy"] = (
        abs(result.totals["energy_wh"].central - central) / central
    )
    return figures


def b4_imports(_root: Path) -> dict[str, Any]:
    """Which heavy libraries ``empreinte --help`` imports (none should be)."""
    import contextlib
    import io

    from audit import cli

    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        cli.app(["--help"])
    heavy = ("pandas", "weasyprint", "codecarbon", "c2pa", "matplotlib", "ecologits", "numpy")
    return {"heavy_imported": sorted(name for name in heavy if name in sys.modules)}


def main(argv: list[str]) -> None:
    from bench.estimation import b3_estimation

    cases: dict[str, Callable[[Path], dict[str, Any]]] = {
        "b1-floor": b1_floor,
        "b1-pipeline": b1_pipeline,
        "b2-report": b2_report,
        "b3-estimation": b3_estimation,
        "b4-imports": b4_imports,
        "b5-report": b5_report,
        "b6-scale": b6_scale,
    }
    name, out, root = argv[0], Path(argv[1]), Path(argv[2])
    if name == "b5-bound":  # the report's outputs, then B1's production
        from bench.bound import b5_bound

        figures = b5_bound(root, Path(argv[3]))
    else:
        figures = cases[name](root)
    figures["peak_rss_mib"] = peak_rss_mib()
    out.write_text(json.dumps(figures, indent=2, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
