"""Run every benchmark (``make bench``): ``python -m bench.run [--only B1,B3] [--records N]``.

Synthetic productions are generated into ``bench/work/`` (seeded; kept between runs when their
parameters are unchanged). Each benchmark runs in a fresh subprocess (``bench.cases``), which
reports its wall times and its own peak RSS. Figures, ratios and targets are printed, and written
to ``bench/results.json`` with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.generate import WORK, generate

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
MIB_LIMIT_B1 = 1536.0


@dataclass(frozen=True)
class Scale:
    records: int
    shots: int


def _production(name: str, scale: Scale) -> Path:
    """The benchmark production ``bench/work/<name>``, generated unless already there."""
    root = WORK / name
    stamp = root / ".scale.json"
    wanted = json.dumps({"records": scale.records, "shots": scale.shots})
    if not stamp.is_file() or stamp.read_text(encoding="utf-8") != wanted:
        print(f"generating {root} ({scale.records:,} records, {scale.shots:,} shots)…")  # noqa: T201
        generate(root, scale.records, scale.shots)
        stamp.write_text(wanted, encoding="utf-8")
    return root


def _case(name: str, root: Path) -> dict[str, Any]:
    """Run ``bench.cases NAME`` in a fresh interpreter; its JSON figures."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        command = [sys.executable, "-m", "bench.cases", name, str(out), str(root)]
        done = subprocess.run(command, cwd=HERE.parent, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{name} failed:\n{done.stderr[-4000:]}")
        figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return figures


def b1(scale: Scale) -> dict[str, Any]:
    root = _production("b1", scale)
    _case("b1-floor", root)  # warm the page cache for both
    floor = _case("b1-floor", root)
    pipeline = _case("b1-pipeline", root)
    ratio = pipeline["wall_s"] / floor["wall_s"]
    return {
        "records": scale.records, "shots": scale.shots, "floor": floor, "pipeline": pipeline,
        "ratio_to_floor": round(ratio, 2),
        "cpu_ratio_to_floor": round(pipeline["cpu_s"] / floor["cpu_s"], 2), "target_ratio": 2.0, "target_peak_rss_mib": MIB_LIMIT_B1,
        "met": ratio <= 2.0 and pipeline["peak_rss_mib"] <= MIB_LIMIT_B1,
    }  # fmt: skip


#: B2's target (issue 20: 15 s before)
B2_TARGET_S = 8.0


def b2(scale: Scale) -> dict[str, Any]:
    root = _production("b2", scale)
    report = _case("b2-report", root)
    return {"records": scale.records, "shots": scale.shots, "report": report,
            "target_s": B2_TARGET_S, "met": report["wall_s"] <= B2_TARGET_S}  # fmt: skip


def b3(_scale: Scale) -> dict[str, Any]:
    figures = _case("b3-estimation", WORK)
    met = figures["speedup"] >= 50 and figures["max_relative_difference"] == 0.0
    return {**figures, "target_speedup": 50.0, "met": met}


def b4(_scale: Scale) -> dict[str, Any]:
    command = [str(Path(sys.executable).with_name("empreinte")), "--help"]
    times = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    imports = _case("b4-imports", WORK)
    median = statistics.median(times)
    return {"help_median_s": round(median, 3), "help_runs_s": [round(t, 3) for t in times],
            "heavy_imported": imports["heavy_imported"], "target_s": 0.5,
            "met": median <= 0.5 and not imports["heavy_imported"]}  # fmt: skip


MIB_LIMIT_B5 = 2048.0


def b5(scale: Scale) -> dict[str, Any]:
    """The real ``empreinte report`` of B1's production against the same read_csv floor."""
    root = _production("b1", scale)
    _case("b1-floor", root)
    floor = _case("b1-floor", root)
    report = _case("b5-report", root)
    ratio = report["wall_s"] / floor["wall_s"]
    bound = report.get("bound") or {}
    if bound:  # the outputs alone, by the libraries' own writers, spread over every core
        bound["ratio_to_floor"] = round(bound["wall_bound_s"] / floor["wall_s"], 2)
    return {"records": scale.records, "floor": floor, "report": report,
            "ratio_to_floor": round(ratio, 2), "target_ratio": 15.0,
            "target_peak_rss_mib": MIB_LIMIT_B5,
            "met": report["exit_code"] == 0 and ratio <= 15.0
            and report["child_peak_rss_mib"] <= MIB_LIMIT_B5}  # fmt: skip


def b6(scale: Scale) -> dict[str, Any]:
    """Informational: the scale extra (Dask, two local workers) against one machine."""
    root = _production("b1", scale)
    figures = _case("b6-scale", root)
    return {**figures, "met": figures["relative_difference_energy"] < 1e-9}


def machine() -> dict[str, Any]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                 if ln.startswith("model name")]  # fmt: skip
        cpu = names[0] if names else ""
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    packages = ("pandas", "numpy", "pydantic", "weasyprint", "ecologits", "opentimelineio")
    return {
        "cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(memory_gib, 1),
        "python": platform.python_version(), "system": platform.platform(),
        "packages": {name: version(name) for name in packages},
    }  # fmt: skip


def _line(name: str, text: str, met: bool) -> None:
    print(f"{name}: {text} — {'target met' if met else 'TARGET MISSED'}")  # noqa: T201


def _b5_bound(r: dict[str, Any]) -> None:
    """B5's lower bound (``bench.bound``): informational, printed under B5."""
    b = r["report"].get("bound")
    if not b:
        return
    print(f"  B5 lower bound: the outputs alone by the libraries' own writers, CPU "  # noqa: T201
          f"{b['total_cpu_s']:.1f} s (read_csv {b['read_csv_cpu_s']:.1f}, Arrow's CSV writer "
          f"{b['arrow_write_csv_cpu_s']:.1f}, Parquet {b['arrow_write_parquet_cpu_s']:.1f}, "
          f"deflate of audit.json {b['deflate_audit_json_cpu_s']:.1f}, WeasyPrint import "
          f"{b['weasyprint_import_cpu_s']:.1f} + layout {b['pdf_layout_cpu_s']:.1f} + writing "
          f"{b['pdf_write_cpu_s']:.1f}); over {b['cores']} cores at best {b['wall_bound_s']:.1f} s"
          f" = {b['ratio_to_floor']:.1f}× the floor")  # fmt: skip


def report(results: dict[str, Any]) -> None:
    """One line per benchmark: the figure, the ratio and the target."""
    if "B1" in results:
        r = results["B1"]
        p = r["pipeline"]
        _line("B1 archive scale", f"{r['records']:,} records: ingest+link+estimate+aggregate "
              f"{p['wall_s']:.1f} s (ingest {p['ingest_s']:.1f}, link {p['link_s']:.1f}, estimate "
              f"{p['estimate_s']:.1f}, aggregate {p['aggregate_s']:.1f}); pandas.read_csv floor "
              f"{r['floor']['wall_s']:.2f} s → {r['ratio_to_floor']:.1f}× the floor (CPU time "
              f"{r['cpu_ratio_to_floor']:.1f}×; target ≤ 2×); "
              f"peak RSS {p['peak_rss_mib']:,.0f} MiB (target ≤ 1,536)", r["met"])  # fmt: skip
    if "B2" in results:
        r = results["B2"]
        rep = r["report"]
        _line("B2 feature film", f"{r['shots']:,} shots, {r['records']:,} generations: report "
              f"(PDF + HTML) {rep['wall_s']:.1f} s (import {rep['import_s']:.1f}, pipeline "
              f"{rep['pipeline_s']:.1f}, render {rep['render_s']:.1f}) → "
              f"{rep['wall_s'] / r['target_s']:.2f} of the {r['target_s']:.0f} s target; peak RSS "
              f"{rep['peak_rss_mib']:,.0f} MiB", r["met"])  # fmt: skip
    if "B3" in results:
        r = results["B3"]
        _line("B3 estimation", f"{r['records']:,} generations ({r['signatures']:,} signatures): "
              f"ours {r['ours_s']:.2f} s on the table (records → table "
              f"{r.get('records_to_table_s', 0.0):.2f} s, ingest's), one EcoLogits call per record "
              f"{r['per_record_ecologits_s']:.1f} s → {r['speedup']:.0f}× (target ≥ 50×); "
              f"max relative difference {r['max_relative_difference']}", r["met"])  # fmt: skip
    if "B5" in results:
        r = results["B5"]
        rep = r["report"]
        sizes = ", ".join(f"{name} {size / 2**20:,.1f} MiB" for name, size
                          in sorted(rep["output_bytes"].items()) if size >= 2**20)  # fmt: skip
        _line("B5 real report", f"{r['records']:,} records: empreinte report --lang fr "
              f"{rep['wall_s']:.1f} s (exit {rep['exit_code']}; CPU {rep['child_cpu_s']:.1f} s) → "
              f"{r['ratio_to_floor']:.1f}× the read_csv floor of {r['floor']['wall_s']:.2f} s "
              f"(target ≤ 15×); child peak RSS {rep['child_peak_rss_mib']:,.0f} MiB (target ≤ "
              f"2,048); outputs: {sizes}", r["met"])  # fmt: skip
        _b5_bound(r)
    if "B6" in results:
        r = results["B6"]
        _line("B6 scale (informational)", f"{r['records']:,} records: one machine estimate "
              f"{r['one_machine_estimate_s']:.1f} s + aggregate {r['one_machine_aggregate_s']:.1f} s;"
              f" Parquet write {r['write_parquet_s']:.1f} s, Dask estimate+aggregate on 2 local "
              f"workers {r['dask_estimate_aggregate_s']:.1f} s ({r['partitions']} partitions); "
              f"relative difference {r['relative_difference_energy']:.1e}", r["met"])  # fmt: skip
    if "B4" in results:
        r = results["B4"]
        heavy = ", ".join(r["heavy_imported"]) or "none"
        _line("B4 start-up", f"empreinte --help median {r['help_median_s']:.3f} s "
              f"(target ≤ 0.5 s); heavy libraries imported: {heavy}", r["met"])  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run Empreinte's benchmarks.")
    parser.add_argument("--only", default="B1,B2,B3,B4,B5", help="comma-separated, e.g. B1,B3; "
                        "B6 (the scale extra) runs when named")  # fmt: skip
    parser.add_argument("--records", type=int, default=1_000_000, help="B1 records")
    parser.add_argument("--no-write", action="store_true", help="do not update results.json")
    args = parser.parse_args(argv)
    runs = {"B1": (b1, Scale(args.records, 1500)), "B2": (b2, Scale(150_000, 1500)),
            "B3": (b3, Scale(100_000, 0)), "B4": (b4, Scale(0, 0)),
            "B5": (b5, Scale(args.records, 1500)), "B6": (b6, Scale(args.records, 1500))}  # fmt: skip
    wanted = [name.strip().upper() for name in args.only.split(",") if name.strip()]
    results: dict[str, Any] = {}
    for name in wanted:
        func, scale = runs[name]
        results[name] = func(scale)
        report({name: results[name]})
    if not args.no_write:
        previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
        merged = {**previous.get("benchmarks", {}), **results}
        document = {"machine": machine(), "benchmarks": dict(sorted(merged.items()))}
        RESULTS.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS}")  # noqa: T201


if __name__ == "__main__":
    main()
