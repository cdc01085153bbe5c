"""The only code that knows where ``data/`` and ``report_templates/`` live.

In a checkout (or an editable install) they sit beside the packages; in a wheel they are shipped
inside the ``audit`` package as ``audit/_data`` and ``audit/_report_templates``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from audit.base.errors import DataError

_PKG = Path(__file__).resolve().parent.parent  # the audit package


def _locate(installed: str, checkout: str) -> Path:
    for candidate in (_PKG / installed, _PKG.parent / checkout):
        if candidate.is_dir():
            return candidate
    raise DataError(
        f"cannot find {checkout}/ (looked in {_PKG / installed} and {_PKG.parent / checkout})"
    )


@cache
def data_dir() -> Path:
    """The ``data/`` folder: coefficients, sources, platform terms, examples."""
    return _locate("_data", "data")


@cache
def templates_dir() -> Path:
    """The ``report_templates/`` folder: Jinja2 templates, CSS, fonts, message catalogues."""
    return _locate("_report_templates", "report_templates")


def data_file(*parts: str) -> Path:
    """A file under ``data/``."""
    return data_dir().joinpath(*parts)


def example_dir() -> Path:
    """The bundled example production folder."""
    return data_file("examples", "le-dernier-phare")
