"""Write every output of ``empreinte report``: report.pdf (PDF/A-3b with audit.json and
generations.csv and inputs.csv attached), report.html, audit.json, generations.csv, findings.csv,
inputs.csv, report.xlsx (the same tables as a workbook, in the report's language), credits.txt.
The first language gets the plain names; others get ``.<lang>`` before the suffix.

``--redact-prompts`` replaces the prompts in generations.csv by their length and hash, and the
names CLEAR001 quotes from prompts by ``name #N`` labels in every output."""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from audit.base.errors import RenderError
from audit.base.gc import paused_gc, trim_heap
from audit.base.outputs import OutputSet
from audit.base.resources import templates_dir
from audit.report import generations
from audit.report.audit_json import audit_json, findings_frame
from audit.report.context import build_context, charts_of
from audit.report.contract import Charts, ReportContext
from audit.report.credits import render_credits
from audit.report.csvout import csv_bytes
from audit.report.generations import (
    PARQUET_MIME,
    Background,
    Written,
    archive,
    hidden,
    write_generations,
)
from audit.report.inventory import inputs_frame
from audit.report.render import REDACTED, Attachment, deflate, render_template, write_pdf
from audit.report.workbook import workbook_bytes
from audit.rights.base import redaction_names
from audit.rights.clearance import redact_prompt_names

if TYPE_CHECKING:
    from audit.pipeline import AuditRun


def _name(stem: str, suffix: str, lang: str, first: bool) -> str:
    return f"{stem}{suffix}" if first else f"{stem}.{lang}{suffix}"


def render_html(run: AuditRun, lang: str, *, standalone: bool = False) -> str:
    """The report as HTML; ``standalone`` inlines our stylesheet for report.html (screens)."""
    return _render(build_context(run, lang), lang, standalone)


def _render(context: ReportContext, lang: str, standalone: bool) -> str:
    inline_css = stylesheet() if standalone else None
    return render_template("report.html.j2", lang, context, inline_css=inline_css)


def stylesheet() -> Markup:
    """Our own CSS: a trusted asset of ours, never input data (browsers ignore @page)."""
    return Markup((templates_dir() / "report.css").read_text(encoding="utf-8"))


def _attachments(
    pool: ThreadPoolExecutor,
    data_json: bytes,
    rows: Written,
    inputs: bytes,
    later: Callable[[], bytes] | None,
) -> list[Attachment]:
    """The PDF's attachments, each compressed in ``pool`` while the report is laid out (the
    per-generation file as it is when it is Parquet, compressed already; ``later`` gives its
    bytes when it is being written in the background)."""
    parquet = rows.mime == PARQUET_MIME
    return [
        Attachment(
            "audit.json",
            data_json,
            "Machine-readable audit (Empreinte)",
            "application/json",
            pool.submit(deflate, data_json),
        ),
        Attachment(
            rows.attached,
            rows.data,
            "One row per generation with its estimate",
            rows.mime,
            None if parquet else pool.submit(deflate, rows.data),
            stored=parquet,
            later=later,
        ),
        Attachment(
            "inputs.csv",
            inputs,
            "Inventory of the input files with their SHA-256",
            "text/csv",
            pool.submit(deflate, inputs),
        ),
    ]


def write_all(run: AuditRun, out: Path, langs: list[str], redact_prompts: bool) -> list[Path]:
    """Write the outputs for every language into ``out`` as one set; returns the paths written
    (:class:`ReportWriter`, the writer forked here at archive scale)."""
    with ReportWriter(out, langs, redact_prompts) as writer:
        return writer.write(run)


class ReportWriter:
    """``with ReportWriter(out, langs, redact_prompts) as writer:``, then ``writer.write(run)``:
    the outputs written into ``out`` as one set (:class:`OutputSet`: staged, then moved into
    place; locked; never through a link).

    At archive scale, where the system can fork, generations.csv and generations.parquet are
    written by a forked copy of the process (:class:`Background`), the longer job: the report
    passes :meth:`estimated` to :func:`audit.pipeline.run`, which calls it once the estimate is
    made, so the copy starts before the rights rules, not after. Leaving the block without
    :meth:`write` (a refusal, an error) stops the copy and leaves ``out`` as it was.

    The cyclic garbage collector is paused while writing, as during the pipeline: left on, it
    walks the run's records (one object per generation) again and again while the CSV and the
    PDF are built, for nothing to free."""

    def __init__(self, out: Path, langs: list[str], redact_prompts: bool) -> None:
        self.out, self.langs, self.redact_prompts = out, langs, redact_prompts
        self._stack = ExitStack()
        self._outputs: OutputSet | None = None
        self._job: Background | None = None
        self._drawing: _Drawing | None = None

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()  # the copy stopped (if still running), then the staged files removed

    def estimated(self, run: AuditRun) -> None:
        """The pipeline's hook (the run so far: link and footprint made): at archive scale, open
        the output set and fork the writer of the per-generation files; else nothing."""
        if self._job is not None or not archive(run) or not generations.CAN_FORK:
            return
        outputs = self._open(run)
        paths = (outputs.path("generations.csv"), outputs.path("generations.parquet"))
        with paused_gc():
            trim_heap()  # the copy starts from the live data only (its resident size counts too)
            job = Background(run, paths, self.redact_prompts, _names(run))
            self._job = self._stack.enter_context(job)
            self._drawing = self._stack.enter_context(_Drawing(run, self.langs))

    def write(self, run: AuditRun) -> list[Path]:
        """Every output of the finished ``run``, for each language; the paths written."""
        names = _names(run)
        token = REDACTED.set(names or None)
        try:
            with paused_gc():
                self.estimated(run)  # when the pipeline did not call it (tests, demo)
                outputs = self._open(run)
                jobs = (self._job, self._drawing)
                _write_all(run, outputs, self.langs, self.redact_prompts, names, jobs)
            return outputs.commit()
        finally:
            REDACTED.reset(token)

    def _open(self, run: AuditRun) -> OutputSet:
        if self._outputs is None:
            outputs = OutputSet(self.out, run.root)
            self._stack.push(outputs)  # its exit known before it makes anything (Ctrl-C between)
            self._outputs = outputs.__enter__()
        return self._outputs


class _Drawing:
    """At archive scale the charts of every language are drawn by a forked copy (matplotlib's
    import and the figures: about 0.8 s of this process at any size) while this one runs the
    rules and writes audit.json: the same SVG, drawn by the same code from the same aggregates
    (:func:`~audit.report.context.charts_of`). Should the copy fail (its error printed), the
    charts are drawn here, which raises that error again if it was not the copy's own."""

    def __init__(self, run: AuditRun, langs: list[str]) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, self._send = context.Pipe(duplex=False)
        args = (run, langs, self._send)
        self.process = context.Process(target=_draw, args=args, name="empreinte-charts")
        self._drawn: dict[str, Charts] | None = None

    def __enter__(self) -> _Drawing:
        self.process.start()
        self._send.close()  # the copy's end: the reader sees EOF if the copy dies
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self._receive.close()

    def charts(self, lang: str) -> Charts | None:
        """The charts in ``lang``, once the copy has drawn them; None if it failed."""
        if self._drawn is None:
            try:
                self._drawn = self._receive.recv()
            except EOFError:  # the copy failed: drawn here
                self._drawn = {}
            self.process.join()
        return self._drawn.get(lang)


def _draw(run: AuditRun, langs: list[str], send: Any) -> None:
    send.send({lang: charts_of(run, lang) for lang in langs})
    send.close()


def _names(run: AuditRun) -> dict[str, str]:
    """``--redact``'s labels of the consent subjects' names, or none."""
    if not run.options.redact:
        return {}
    return redaction_names(c.person for c in run.ledgers.consents)


def _write_all(
    run: AuditRun,
    outputs: OutputSet,
    langs: list[str],
    redact_prompts: bool,
    names: dict[str, str],
    jobs: tuple[Background | None, _Drawing | None] = (None, None),
) -> None:
    if redact_prompts:
        run = dataclasses.replace(run, findings=redact_prompt_names(run.findings))
    job, drawing = jobs
    if job is not None:  # the copy, the longer job, started first: the documents after
        data = _documents(run, outputs, names)
        _pages(run, outputs, langs, data, job.written(), job.parquet, drawing)
        job.parquet()  # both files whole before the set is committed
        return
    parquet = outputs.path("generations.parquet") if archive(run) else None
    data = _documents(run, outputs, names)
    rows = write_generations(run, outputs.path("generations.csv"), parquet, redact_prompts, names)
    _pages(run, outputs, langs, data, rows, None, drawing)


def _documents(run: AuditRun, outputs: OutputSet, names: dict[str, str]) -> tuple[bytes, bytes]:
    """Write audit.json, inputs.csv and findings.csv; audit.json's and inputs.csv's bytes (the
    PDF attaches them)."""
    data_json = hidden(audit_json(run), names)
    inputs_csv = hidden(csv_bytes(inputs_frame(run)), names)
    outputs.write("inputs.csv", inputs_csv)
    outputs.write("audit.json", data_json)
    outputs.write("findings.csv", hidden(csv_bytes(findings_frame(run)), names))
    return data_json, inputs_csv


def _pages(
    run: AuditRun,
    outputs: OutputSet,
    langs: list[str],
    attached_data: tuple[bytes, bytes],
    rows: Written,
    later: Callable[[], bytes] | None,
    drawing: _Drawing | None = None,
) -> None:
    """Per language: report.html, report.xlsx, credits.txt and report.pdf (``attached_data``:
    audit.json and inputs.csv, attached with the per-generation file)."""
    data_json, inputs_csv = attached_data
    identifier = hashlib.sha256(run.inputs_sha256.encode() + data_json).hexdigest()[:32].encode()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="deflate") as pool:
        attachments = _attachments(pool, data_json, rows, inputs_csv, later)
        for index, lang in enumerate(langs):
            first = index == 0
            context = build_context(run, lang, drawing.charts(lang) if drawing else None)
            html = _render(context, lang, standalone=False)
            standalone = _render(context, lang, standalone=True)
            outputs.write(_name("report", ".html", lang, first), standalone.encode("utf-8"))
            workbook = workbook_bytes(run, lang, rows.head, rows.total, method=context.methodology)
            outputs.write(_name("report", ".xlsx", lang, first), workbook)
            credits = render_credits(run, lang, "txt", context.credits).encode()
            outputs.write(_name("credits", ".txt", lang, first), credits)
            name = _name("report", ".pdf", lang, first)
            trim_heap()  # before pydyf's copies of the attachments, at the process's peak
            warnings = write_pdf(
                html, outputs.path(name), attachments, run.options.as_of, identifier
            )
            if warnings:
                raise RenderError(f"{outputs.out / name}: WeasyPrint warned: {warnings[0]}")
