"""The scale extra: estimate + aggregate on Dask partitions (Parquet in, Parquet out) on a local
cluster give the single-machine result of the same production."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask.dataframe", reason="the scale extra is not installed")
distributed = pytest.importorskip("distributed", reason="the scale extra is not installed")

from audit.base.resources import example_dir  # noqa: E402
from audit.estimate.footprint import VALUE_COLUMNS  # noqa: E402
from audit.estimate.scale import estimate_parquet, table_frame, write_generations  # noqa: E402
from audit.pipeline import AuditRun, Options, run  # noqa: E402


@pytest.fixture(scope="module")
def example_run() -> AuditRun:
    return run(example_dir(), Options(as_of=date(2026, 11, 20)))


def test_partitions_on_a_local_cluster_match_one_machine(
    tmp_path: Path, example_run: AuditRun
) -> None:
    linked = example_run.link
    frame = table_frame(linked.table, linked.shot_ids, linked.kept)
    source, target = tmp_path / "generations.parquet", tmp_path / "footprint.parquet"
    parts = write_generations(frame, source, rows_per_partition=100)
    assert parts == 6  # 591 generations
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)  # fmt: skip
    with cluster, distributed.Client(cluster):
        result = estimate_parquet(source, target, example_run.production)
    single = example_run.aggregates
    assert result.generations == single.generations
    for name, rng in single.totals.items():
        got = result.totals[name]
        assert (got.low, got.central, got.high) == pytest.approx(
            (rng.low, rng.central, rng.high), rel=1e-12
        ), name
    by_platform = single.by_platform.set_index("platform")
    scaled = result.groups["platform"]
    assert sorted(scaled.index) == sorted(by_platform.index)
    for column in VALUE_COLUMNS:
        np.testing.assert_allclose(
            scaled[column].sort_index().to_numpy(),
            by_platform[column].sort_index().to_numpy(),
            rtol=1e-12,
        )
    # every row written, estimated as the report estimates it
    rows = pd.read_parquet(target).set_index("id").sort_index()
    report = example_run.footprint.table.set_index("id").sort_index()
    np.testing.assert_array_equal(rows["energy_wh_central"], report["energy_wh_central"])
    assert (rows["method"] == report["method"]).all()
