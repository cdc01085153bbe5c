"""``audit.json``: the whole audit, machine-readable, versioned (see docs/audit-json.md).

``schema_version`` follows MAJOR.MINOR: a MINOR bump adds fields, a MAJOR bump changes or removes
them. Readers (``empreinte compare``) accept every MINOR of a MAJOR they know.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from functools import cache
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import TypeAdapter

from audit import __version__
from audit.base.columns import Impact
from audit.base.dumps import json_texts
from audit.base.models import COLUMNS, JSON_COLUMNS, Generation
from audit.report.equivalents import cited_ids
from audit.report.forecast_doc import comparison_document
from audit.report.linking import linking_document
from estimators.ranges import Range

if TYPE_CHECKING:
    from audit.pipeline import AuditRun
    from audit.rights.base import Finding

SCHEMA = "empreinte.audit"
SCHEMA_VERSION = "1.2"


def redact_prompt(text: str | None) -> str | None:
    """A prompt replaced by its length and a short hash (``--redact-prompts``)."""
    if not text:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"[redacted: {len(text)} characters, sha256 {digest}]"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", double_precision=10))
    return records


def _ranges(values: dict[Impact, Range]) -> dict[str, dict[str, float]]:
    return {k: {"low": v.low, "central": v.central, "high": v.high} for k, v in values.items()}


def audit_document(run: AuditRun) -> dict[str, Any]:
    """The audit.json document (plain JSON types, deterministic order)."""
    agg, prod = run.aggregates, run.production
    registry = run.footprint.registry
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
            "skipped": [s.line() for s in run.ingest.skipped],
        },
        "rights_files": [vars(f) for f in run.rights_files.files],
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
        "linking": linking_document(run),
        "findings": [_finding(f) for f in run.findings],
        "provenance": [p.model_dump(mode="json") for p in run.provenance],
        "coefficients_used": [registry.get(cid).model_dump(mode="json") for cid in used],
        "sources": [s.model_dump(mode="json") for s in registry.cited(used)],
        **_forecast(run),
    }


#: Fields of a finding that are lists of text, whose JSON form is the list itself.
_TEXT_LISTS = {"evidence", "generation_ids", "shot_ids"}


def _finding(finding: Finding) -> dict[str, Any]:
    """``finding.model_dump(mode="json")``, the same dict but for its key order, with its lists
    of text copied as lists rather than dumped one text at a time by pydantic (a million-record
    audit's findings name two million generation ids: a third of a second)."""
    dumped = finding.model_dump(mode="json", exclude=_TEXT_LISTS)
    dumped.update({name: list(getattr(finding, name)) for name in _TEXT_LISTS})
    return dumped


def _forecast(run: AuditRun) -> dict[str, Any]:
    """``forecast``: the plan's forecast and its gaps to the final (only when there is a plan)."""
    if run.forecast is None:
        return {}
    planned = run.forecast.forecast
    return {
        "forecast": {
            "plan": planned.plan.path,
            "defaults": "published or stated practice (data/plan_defaults.yaml)",
            "generations": planned.aggregates.generations,
            "totals": _ranges(planned.aggregates.totals),
            "vs_final": comparison_document(run.forecast.gaps),
        }
    }


def audit_json(run: AuditRun) -> bytes:
    """audit.json's bytes: the audit document as indented JSON with sorted keys, UTF-8, ending in a
    newline (byte-stable between runs)."""
    return (indented_json(audit_document(run)) + "\n").encode("utf-8")


#: Lists of text at least this long are written by :func:`indented_json` itself.
LONG_LIST = 64
#: What stands for the ``n``-th long list while json writes the rest (a NUL, which json escapes).
_TOKEN = "\x00empreinte-long-list-{}\x00"
_TOKEN_JSON = re.compile(r'"\\u0000empreinte-long-list-(\d+)\\u0000"')


#: A long list of texts, and whether none of them needs escaping.
_Texts = tuple[list[str] | tuple[str, ...], bool]
#: What json escapes in a text when ``ensure_ascii`` is off.
_ESCAPED = re.compile(r'[\x00-\x1f"\\]')


def _items(texts: _Texts, pad: str) -> str:
    """The texts as json's indenting encoder writes a list's items under ``pad``: each quoted
    on its own line, as they are when none needs escaping (ids), else through json's escaping."""
    items, plain = texts
    if plain:
        return '"' + f'",\n  {pad}"'.join(items) + '"'
    return f",\n  {pad}".join(map(encode_basestring, items))


def indented_json(document: Any) -> str:
    """``json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)``, the same text,
    faster: json's indenting encoder is pure Python (a second for the 2,000,000 generation ids of
    a million-record audit's findings), so each long list of text is taken out, the rest dumped
    by json, and the list written in its place as json indents it. Falls back to json alone if the
    document holds a placeholder's text."""
    lists: list[_Texts] = []
    text = json.dumps(_lifted(document, lists), ensure_ascii=False, indent=2, sort_keys=True)
    found = list(_TOKEN_JSON.finditer(text))
    if sorted(int(m.group(1)) for m in found) != list(range(len(lists))):
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    parts, end = [], 0
    for match in found:
        start = match.start()
        line = text[text.rfind("\n", 0, start) + 1 : start]
        pad = " " * (len(line) - len(line.lstrip(" ")))
        parts += [text[end:start], "[\n  ", pad, _items(lists[int(match.group(1))], pad)]
        parts += ["\n", pad, "]"]
        end = match.end()
    parts.append(text[end:])
    return "".join(parts)


def _lifted(value: Any, lists: list[_Texts]) -> Any:
    """``value`` with each list of :data:`LONG_LIST` texts or more replaced by a placeholder
    (the list appended to ``lists``); dicts and lists copied, nothing else."""
    if isinstance(value, dict):
        return {key: _lifted(item, lists) for key, item in value.items()}
    if isinstance(value, list | tuple):
        if len(value) >= LONG_LIST:
            try:  # only texts join: their text, then, is what json writes of them
                joined = "".join(value)
            except TypeError:
                joined = None
            if joined is not None:
                lists.append((value, _ESCAPED.search(joined) is None))
                return _TOKEN.format(len(lists) - 1)
        return [_lifted(item, lists) for item in value]
    return value


#: Impact-table columns that repeat a canonical column (``id`` is the join key).
REPEATED = [
    "platform",
    "model",
    "modality",
    "outputs_count",
    "shot_id",
    "kept",
    "source_file",
    "source_locator",
]


#: Field types whose ``model_dump(mode="json")`` value is the value itself (lists and dicts:
#: equal copies).
_AS_IS: tuple[Any, ...] = (
    *(str, int, float, bool, str | None, int | None, float | None, bool | None),
    *(list[str], dict[str, str | int | float | bool | None]),
)


def _annotation(name: str) -> Any:
    return Generation.model_fields[name].annotation


@cache
def _serialiser(name: str, column: bool = False) -> TypeAdapter[Any]:
    """pydantic's serialiser of one field of Generation (what ``model_dump`` does for it), or of
    a list of its values (``column``)."""
    annotation = _annotation(name)
    # the field's annotation is a value known at run time, not a type mypy can check statically
    return TypeAdapter(list[annotation] if column else annotation)  # type: ignore[valid-type]


def _redacted(prompts: list[str | None]) -> list[str | None]:
    """Each prompt redacted, each distinct one hashed once (rerolls repeat their prompt)."""
    done: dict[str | None, str | None] = {}
    return [done[p] if p in done else done.setdefault(p, redact_prompt(p)) for p in prompts]


def _json_cells(name: str, values: list[Any], dumped: bool = False) -> list[str]:
    """A JSON column's cells (:data:`~audit.base.models.JSON_COLUMNS`): each value as
    ``json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`` of its
    ``model_dump(mode="json")`` form (``dumped``: the values are that form), as ``to_row``
    writes them (:func:`audit.base.dumps.json_texts`)."""
    if _annotation(name) not in _AS_IS and not dumped:
        dump = _serialiser(name).dump_python
        values = [dump(value, mode="json") if value else value for value in values]
    return json_texts(name, values)


def canonical_frame(generations: list[Generation], redact_prompts: bool) -> pd.DataFrame:
    """generations.csv's canonical part, one row per generation: the frame of
    ``[to_row(gen) for gen in generations]`` (same columns, cells and dtypes), built from the
    records' own values in one pass, then the few columns ``model_dump(mode="json")`` changes
    (dates, enums, the JSON lists and dicts) converted column by column."""
    raw = pd.DataFrame([vars(gen) for gen in generations], columns=COLUMNS, dtype=object)
    return _cells({name: raw[name].tolist() for name in COLUMNS}, redact_prompts, False)


def dumped_frame(values: dict[str, list[Any]], redact_prompts: bool) -> pd.DataFrame:
    """The same frame as :func:`canonical_frame` of the records whose fields ``values`` holds
    as ``model_dump(mode="json")`` writes them (:meth:`audit.base.gentable.GenTable.dumped`)."""
    return _cells(values, redact_prompts, True)


def _cells(values: dict[str, list[Any]], redact_prompts: bool, dumped: bool) -> pd.DataFrame:
    columns: dict[str, list[Any]] = {}
    for name in COLUMNS:
        cells = values[name]
        if name in JSON_COLUMNS:
            cells = _json_cells(name, cells, dumped)
        elif _annotation(name) not in _AS_IS:
            if not dumped:
                cells = _serialiser(name, column=True).dump_python(cells, mode="json")
        elif redact_prompts and name in ("prompt", "negative_prompt", "lyrics"):
            cells = _redacted(cells)
        columns[name] = cells
    return pd.DataFrame(columns)


_WHOLE = [name for name in COLUMNS if _annotation(name) in (int, int | None)]
_KINDS: dict[Any, str] = {
    **dict.fromkeys((int, int | None), "int"),
    **dict.fromkeys((float, float | None), "float"),
    **dict.fromkeys((bool, bool | None), "bool"),
    **dict.fromkeys((datetime, datetime | None), "datetime"),
}


def field_kind(name: str) -> str | None:
    """``int``, ``float``, ``bool`` or ``datetime`` for a record field of that type (its
    generations.csv cells are numbers, booleans or ISO dates); None for text, enums, JSON."""
    return _KINDS.get(_annotation(name))


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Integer fields that pandas typed as floats (a missing value among them) written as
    integers: ``1456``, not ``1456.0``; missing stays an empty cell."""
    for name in _WHOLE:
        column = frame[name]
        if column.dtype.kind == "f":
            values = column.to_numpy()
            frame[name] = pd.Series(
                [None if v != v else int(v) for v in values.tolist()], dtype=object
            ).to_numpy()
    return frame


def findings_frame(run: AuditRun) -> pd.DataFrame:
    """The findings as a table (code, name, severity, message, evidence joined by `` | ``, fix,
    link), for findings.csv and the workbook."""
    rows = [
        {
            "code": f.code,
            "name": f.name,
            "severity": f.severity,
            "message": f.message,
            "evidence": " | ".join(f.evidence),
            "fix": f.fix,
            "doc_url": f.doc_url,
            "use": f.use or "",
        }
        for f in run.findings
    ]
    return pd.DataFrame(
        rows, columns=["code", "name", "severity", "message", "evidence", "fix", "doc_url", "use"]
    )
