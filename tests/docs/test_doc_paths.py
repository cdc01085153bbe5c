"""The docs name only what exists: every path under ``audit/``, ``estimators/`` or
``report_templates/`` and every dotted name ``audit.x.y`` / ``estimators.x.y`` written in docs/*.md
and README.md is a file, a folder, a module or an attribute of one; so is every ``tests/<area>/…``
path of an area we have (other projects' ``tests/…`` are cited as the shapes of real files). A move or a rename that leaves a page behind fails here, naming the
page and the name."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import pytest

from tests.docs.docblocks import DOCS, ROOT

PAGES = sorted([*DOCS.glob("*.md"), ROOT / "README.md"])
_PATH = re.compile(r"(?<![\w/.-])((?:audit|estimators|report_templates)/[\w./<>*-]*)")
_TESTS = re.compile(r"(?<![\w/.-])(tests/[\w./<>*-]*)")
_DOTTED = re.compile(r"(?<![\w/.-])((?:audit|estimators)(?:\.[A-Za-z_]\w*)+)")
#: Names that look like ours and are not: the report's JSON file, and the folders a wheel ships
#: data/ and report_templates/ in (audit/base/resources.py).
NOT_OURS = {"audit.json", "audit/_data", "audit/_report_templates"}


def _exists_path(path: str) -> bool:
    """A file or folder, a glob that matches, or a folder holding a ``<placeholder>``."""
    path = path.rstrip(".")
    if "<" in path:
        return (ROOT / path[: path.rfind("/", 0, path.find("<")) + 1]).is_dir()
    if "*" in path:
        return any(ROOT.glob(path))
    return (ROOT / path.rstrip("/")).exists()


def _exists_dotted(name: str) -> bool:
    """The longest module of ``name`` (found without running it: ``audit.__main__`` would start
    the CLI), then its attributes, one by one."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            spec = importlib.util.find_spec(".".join(parts[:cut]))
        except ImportError:
            spec = None
        if spec is None:
            continue
        if cut == len(parts):
            return True
        found: object = importlib.import_module(".".join(parts[:cut]))
        for attr in parts[cut:]:
            if not hasattr(found, attr):
                return False
            found = getattr(found, attr)
        return True
    return False


def _names(page: Path, pattern: re.Pattern[str]) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return sorted({m.rstrip(".") for m in pattern.findall(text)} - NOT_OURS)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_paths_named_in_docs_exist(page: Path) -> None:
    missing = [path for path in _names(page, _PATH) if not _exists_path(path)]
    assert missing == [], f"{page.name} names paths that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_test_paths_named_in_docs_exist(page: Path) -> None:
    ours = [path for path in _names(page, _TESTS) if (ROOT / "tests" / path.split("/")[1]).is_dir()]
    missing = [path for path in ours if not _exists_path(path)]
    assert missing == [], f"{page.name} names test paths that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_dotted_names_in_docs_exist(page: Path) -> None:
    missing = [name for name in _names(page, _DOTTED) if not _exists_dotted(name)]
    assert missing == [], f"{page.name} names modules or attributes that do not exist: {missing}"


def test_the_check_finds_a_stale_name() -> None:
    assert _exists_path("audit/ingest/registry.py")
    assert _exists_path("audit/ingest/<platform>.py")
    assert _exists_path("tests/ingest/test_ingest_<platform>.py")
    assert not _exists_path("tests/nowhere/test_<platform>.py")
    assert _exists_path("tests/rules/cases/*.yaml")
    assert not _exists_path("audit/rules/base.py")  # before the layout move
    assert _exists_dotted("audit.ingest.base.Adapter")
    assert not _exists_dotted("audit.footprint")
    assert not _exists_dotted("audit.ingest.base.NoSuchAdapter")
    names = _PATH.findall("see `audit/report/write.py`, audit/rules/ and `estimators/units.py`.")
    assert names == ["audit/report/write.py", "audit/rules/", "estimators/units.py"]
