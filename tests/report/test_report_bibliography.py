"""Every coefficient behind a figure of the demo reaches the report's bibliography (the EcoLogits
``source``/``sources`` bug the style survey warns about must not happen here)."""

from audit.pipeline import AuditRun
from audit.report.context import build_context
from audit.report.equivalents import cited_ids


def test_every_coefficient_used_is_cited(example_run: AuditRun) -> None:
    registry = example_run.footprint.registry
    used = set(example_run.footprint.coefficient_ids()) | set(cited_ids())
    method = build_context(example_run, "en")["methodology"]
    listed = {c["id"] for c in method["coefficients"]}
    cited = {s["id"] for s in method["bibliography"]}
    assert used == listed
    assert {registry.get(cid).source_id for cid in used} <= cited
    for row in method["coefficients"]:
        assert row["locator"], row["id"]
        assert 1 <= row["ref"] <= len(cited)
