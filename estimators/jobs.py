"""The energy rule of each way a job can end (data/job_status.csv); applied by :mod:`estimators.runs`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from estimators.errors import CoefficientError

JOB_COLUMNS = ("status", "rule", "flag", "source_id", "locator", "basis")
RULES = ("full_run", "elapsed_or_share")


@dataclass(frozen=True)
class JobRule:
    """One row of job_status.csv: the energy a job that ended this way costs."""

    status: str
    rule: str
    flag: str
    source_id: str
    locator: str
    basis: str


def load_job_rules(path: Path, sources: set[str]) -> dict[str, JobRule]:
    """job_status.csv, strictly: known rule and source, a basis, one row per status."""
    if not path.is_file():
        raise CoefficientError("file is missing", file=path)
    rules: dict[str, JobRule] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != JOB_COLUMNS:
            raise CoefficientError(
                "columns differ", file=path, line=1, field="header", choices=JOB_COLUMNS
            )
        for row in reader:
            rule = JobRule(**{k: row[k] or "" for k in JOB_COLUMNS})
            line = reader.line_num
            if rule.rule not in RULES:
                raise CoefficientError(
                    "unknown rule",
                    file=path,
                    line=line,
                    field="rule",
                    value=rule.rule,
                    choices=RULES,
                )
            if rule.source_id not in sources or not rule.basis or rule.status in rules:
                raise CoefficientError(
                    "needs a known source, a basis and a new status",
                    file=path,
                    line=line,
                    field="status",
                    value=rule.status,
                )
            rules[rule.status] = rule
    return rules
