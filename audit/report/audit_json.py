"""``audit.json``: the whole audit, machine-readable, versioned (see docs/audit-json.md).

``schema_version`` follows MAJOR.MINOR: a MINOR bump adds fields, a MAJOR bump changes or removes
them. Readers (``empreinte compare``) accept every MINOR of a MAJOR they know.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from audit import __version__
from audit.models import Generation, to_row

if TYPE_CHECKING:
    from audit.pipeline import AuditRun

SCHEMA = "empreinte.audit"
SCHEMA_VERSION = "1.1"


def redact_prompt(text: str | None) -> str | None:
    """A prompt replaced by its length and a short hash (``--redact-prompts``)."""
    if not text:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"[redacted: {len(text)} characters, sha256 {digest}]"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records", double_precision=10))  # type: ignore[no-any-return]


def _ranges(values: dict[str, Any]) -> dict[str, dict[str, float]]:
    return {k: {"low": v.low, "central": v.central, "high": v.high} for k, v in values.items()}


def audit_document(run: AuditRun) -> dict[str, Any]:
    """The audit.json document (plain JSON types, deterministic order)."""
    agg, prod = run.aggregates, run.production
    registry = run.footprint.registry
    from audit.report.equivalents import cited_ids

    used = sorted({*run.footprint.coefficient_ids(), *cited_ids()})
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generator": {
            "name": "empreinte",
            "version": __version__,
            "data_version": registry.data_version,
        },
        "as_of": run.options.as_of.isoformat(),
        "inputs_sha256": run.inputs_sha256,
        "production": prod.model_dump(mode="json"),
        "ingest": {
            "totals": run.ingest.totals(),
            "files": [vars(f) for f in run.ingest.files],
            "rejects": [r.line() for r in run.ingest.rejects],
        },
        "timeline": {
            "path": run.timeline.path,
            "name": run.timeline.name,
            "rate": run.timeline.rate,
            "duration_s": run.timeline.duration_s,
            "note": run.timeline.note,
        },
        "footprint": {
            "totals": _ranges(agg.totals),
            "per_finished_minute": _ranges(agg.per_minute),
            "per_kept_second": _ranges(agg.per_kept_second),
            "generations": agg.generations,
            "outputs": agg.outputs,
            "kept_outputs": agg.kept_outputs,
            "discard_ratio": None if agg.kept_outputs == 0 else agg.discard_ratio,
            "in_cut_share": agg.in_cut_share,
            "by_platform": _records(agg.by_platform),
            "by_modality": _records(agg.by_modality),
            "by_department": _records(agg.by_department),
            "by_status": _records(agg.by_status),
        },
        "shots": _records(agg.by_shot),
        "not_in_cut": sorted(run.link.not_in_cut),
        "unexplained_clips": sorted({c.media_name or c.name for c in run.link.unexplained_clips}),
        "link_warnings": list(run.link.warnings),
        "findings": [f.model_dump(mode="json") for f in run.findings],
        "provenance": [p.model_dump(mode="json") for p in run.provenance],
        "coefficients_used": [registry.get(cid).model_dump(mode="json") for cid in used],
        "sources": [s.model_dump(mode="json") for s in registry.cited(used)],
    }


def audit_json(run: AuditRun) -> bytes:
    return (
        json.dumps(audit_document(run), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")


def generations_frame(run: AuditRun, redact_prompts: bool) -> pd.DataFrame:
    """generations.csv: canonical columns, then the estimate of each generation."""

    def row(gen: Generation) -> dict[str, Any]:
        data = to_row(gen)
        if redact_prompts:
            data["prompt"] = redact_prompt(gen.prompt)
            data["negative_prompt"] = redact_prompt(gen.negative_prompt)
        return data

    canonical = pd.DataFrame([row(g) for g in run.link.generations])
    impacts = run.footprint.table.drop(
        columns=[
            "platform",
            "model",
            "modality",
            "outputs_count",
            "shot_id",
            "kept",
            "source_file",
            "source_locator",
        ]
    )
    if canonical.empty:
        return impacts
    return canonical.merge(impacts, on="id", how="left").sort_values(["created_at", "id"])


def findings_frame(run: AuditRun) -> pd.DataFrame:
    rows = [
        {
            "code": f.code,
            "name": f.name,
            "severity": f.severity,
            "message": f.message,
            "evidence": " | ".join(f.evidence),
            "fix": f.fix,
            "doc_url": f.doc_url,
        }
        for f in run.findings
    ]
    return pd.DataFrame(
        rows, columns=["code", "name", "severity", "message", "evidence", "fix", "doc_url"]
    )
