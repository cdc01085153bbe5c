"""The rights and consent audit: rules over the generations, ledgers, provenance and terms.

``run_rules(AuditContext(...))`` returns the findings; see :mod:`audit.rights.base` for the
contract and ``docs/rules.md`` (built by :func:`audit.rights.docs.render_rules_md`) for each rule.
"""

from audit.rights.base import (
    AuditContext,
    Finding,
    Rule,
    Severity,
    finding,
    registry,
    rule,
)
from audit.rights.tiers import run_rules

__all__ = [
    "AuditContext",
    "Finding",
    "Rule",
    "Severity",
    "finding",
    "registry",
    "rule",
    "run_rules",
]
