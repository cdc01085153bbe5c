"""Every coefficient behind a figure of the demo reaches the report's bibliography (the EcoLogits
``source``/``sources`` bug the style survey warns about must not happen here)."""

from audit.pipeline import AuditRun
from audit.report.context import build_context
from audit.report.equivalents import cited_ids


def test_every_coefficient_used_is_cited(example_run: AuditRun) -> None:
    registry = example_run.footprint.registry
    used = set(example_run.footprint.coefficient_ids()) | set(cited_ids())
    method = build_context(example_run, "en").methodology
    listed = {c.id for c in method.coefficients}
    cited = {s.id for s in method.bibliography}
    assert used == listed
    assert {registry.get(cid).source_id for cid in used} <= cited
    for row in method.coefficients:
        assert row.locator, row.id
        assert 1 <= row.ref <= len(cited)


def test_sources_are_public_references(example_run: AuditRun) -> None:
    """No pointer to the project's working notes, each entry once, punctuation as written."""
    for lang in ("fr", "en"):
        method = build_context(example_run, lang).methodology
        for row in method.coefficients:
            assert "research coefficients.md" not in row.locator, row.id
            assert "(see " not in row.locator, row.id
        refs = [s.ref for s in method.bibliography]
        assert refs == list(range(1, len(refs) + 1))
        for entry in method.bibliography:
            assert "?." not in entry.citation, entry.id
            assert entry.url.startswith("https://") or entry.document, entry.id


def test_units_are_typeset(example_run: AuditRun) -> None:
    units = {row.id: row.unit for row in build_context(example_run, "fr").methodology.coefficients}
    assert units["grid.carbon.FRA"] == "g CO₂e/kWh"
    assert units["grid.adpe.FRA"] == "kg Sb éq./kWh"
    assert units["equiv.streaming_hour"] == "g CO₂e/h"
    assert not [u for u in units.values() if "CO2" in u or "Sbeq" in u or "_" in u]
