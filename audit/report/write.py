"""Write every output of ``empreinte report``: report.pdf (PDF/A-3b with audit.json and
generations.csv attached), report.html, audit.json, generations.csv, findings.csv, credits.txt.
The first language gets the plain names; others get ``.<lang>`` before the suffix."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from markupsafe import Markup

from audit.errors import RenderError
from audit.report.audit_json import audit_json, findings_frame, generations_frame
from audit.report.context import build_context
from audit.report.credits import render_credits
from audit.report.render import Attachment, render_template, write_pdf
from audit.resources import templates_dir

if TYPE_CHECKING:
    from audit.pipeline import AuditRun


def _name(stem: str, suffix: str, lang: str, first: bool) -> str:
    return f"{stem}{suffix}" if first else f"{stem}.{lang}{suffix}"


def render_html(run: AuditRun, lang: str, *, standalone: bool = False) -> str:
    """The report as HTML; ``standalone`` inlines our stylesheet for report.html (screens)."""
    context = build_context(run, lang)
    context["inline_css"] = stylesheet() if standalone else None
    return render_template("report.html.j2", lang, context)


def stylesheet() -> Markup:
    """Our own CSS: a trusted asset of ours, never input data (browsers ignore @page)."""
    return Markup((templates_dir() / "report.css").read_text(encoding="utf-8"))


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    return str(frame.to_csv(index=False, lineterminator="\n")).encode("utf-8")


def write_all(run: AuditRun, out: Path, langs: list[str], redact_prompts: bool) -> list[Path]:
    """Write the outputs for every language into ``out``; returns the paths written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create {out}: {exc}") from exc
    data_json = audit_json(run)
    generations_csv = _csv_bytes(generations_frame(run, redact_prompts))
    files = {
        out / "audit.json": data_json,
        out / "generations.csv": generations_csv,
        out / "findings.csv": _csv_bytes(findings_frame(run)),
    }
    attachments = [
        Attachment(
            "audit.json", data_json, "Machine-readable audit (Empreinte)", "application/json"
        ),
        Attachment(
            "generations.csv",
            generations_csv,
            "One row per generation with its estimate",
            "text/csv",
        ),
    ]
    identifier = hashlib.sha256(run.inputs_sha256.encode() + data_json).hexdigest()[:32].encode()
    written = []
    for index, lang in enumerate(langs):
        first = index == 0
        html = render_html(run, lang)
        screen = render_html(run, lang, standalone=True)
        files[out / _name("report", ".html", lang, first)] = screen.encode("utf-8")
        files[out / _name("credits", ".txt", lang, first)] = render_credits(
            run, lang, "txt"
        ).encode()
        pdf_path = out / _name("report", ".pdf", lang, first)
        warnings = write_pdf(html, pdf_path, attachments, run.options.as_of, identifier)
        if warnings:
            raise RenderError(f"{pdf_path}: WeasyPrint warned: {warnings[0]}")
        written.append(pdf_path)
    for path, data in files.items():
        path.write_bytes(data)
        written.append(path)
    return sorted(written)
