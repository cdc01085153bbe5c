"""The bundled example, run once and rendered once (fr then en) for the whole report suite."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from audit.base.resources import example_dir
from audit.pipeline import AuditRun, Options, run
from audit.report import render, write
from audit.report.write import write_all
from tests.report.report_support import Watch, watching

AS_OF = date(2026, 11, 20)
LANGS = ["fr", "en"]


@dataclass(frozen=True)
class Rendered:
    """``write_all`` of the example into ``out``: what the render logged and fetched."""

    out: Path
    records: list[logging.LogRecord]
    returned: dict[str, list[str]]
    watch: Watch

    def pdf(self, lang: str) -> Path:
        return self.out / ("report.pdf" if lang == LANGS[0] else f"report.{lang}.pdf")

    def html(self, lang: str) -> Path:
        return self.out / ("report.html" if lang == LANGS[0] else f"report.{lang}.html")


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="session")
def ci() -> bool:
    return os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def example_run() -> AuditRun:
    """The pipeline on the bundled example, as ``--as-of 2026-11-20``; tests only read it."""
    return run(example_dir(), Options(as_of=AS_OF))


@pytest.fixture(scope="session")
def rendered(example_run: AuditRun, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Every output of ``empreinte report --lang fr --lang en``, written once per session, with
    the weasyprint logger (warnings and up), what ``write_pdf`` returned and the URL fetcher
    watched while rendering."""
    out = tmp_path_factory.mktemp("example-report")
    returned: dict[str, list[str]] = {}
    real_write_pdf = render.write_pdf

    def recording_write_pdf(html: str, target: Path, *args: Any) -> list[str]:
        returned[target.name] = real_write_pdf(html, target, *args)
        return returned[target.name]

    keep = _Keep()
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.addHandler(keep)
    logger.setLevel(logging.WARNING)
    try:
        with pytest.MonkeyPatch.context() as patch, watching(patch) as watch:
            patch.setattr(write, "write_pdf", recording_write_pdf)
            write_all(example_run, out, LANGS, redact_prompts=False)
    finally:
        logger.removeHandler(keep)
        logger.setLevel(level)
    return Rendered(out, keep.records, returned, watch)
