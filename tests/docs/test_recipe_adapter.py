"""The recipe "add an adapter" of docs/development.md, followed step by step: its adapter code
(the block tagged ``recipe-adapter``) registered in ``BUILTIN`` as step 3 says, its platform entry
(``recipe-adapter-platform``) put under ``platforms:`` of a copy of data/platforms.yaml, and a
production folder run through the pipeline: the records are ingested with their file and line, and
the report's credits print the platform's title. The plugin example of docs/adding-an-adapter.md
(``plugin-adapter``) is installed as a real distribution and reads its file too. When the adapter
API changes, these tests fail with the pages."""

from __future__ import annotations

import re
import shutil
import sys
import types
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from audit.base import resources
from audit.estimate import footprint
from audit.forecast.skeleton import write_skeleton
from audit.ingest import registry
from audit.ingest.docs import render_platforms_md
from audit.ingest.walk import ingest_files
from audit.pipeline import Options, run
from audit.report.credits import credits_context
from tests.docs.docblocks import ROOT, block, named_paths, steps

MODULE = "empreinte_recipe_notes"
NOTES = "notes:\nn1 2026-09-20T08:00:00Z notes-xl\nn2 2026-09-20T09:00:00Z notes-xl\n"


def _clear() -> None:
    registry.adapters.cache_clear()
    registry.platforms.cache_clear()
    footprint._registry.cache_clear()


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Registry caches cleared around the test; the recipe's module forgotten after it."""
    _clear()
    yield
    _clear()
    for name in (MODULE, "empreinte_notes_plugin"):
        sys.modules.pop(name, None)


def _tools(context: Any) -> list[str]:
    """The credits' tool lines (a mapping or a typed record, whichever the report hands over)."""
    groups = context["tools"] if isinstance(context, dict) else context.tools
    return [group["tools"] if isinstance(group, dict) else group.tools for group in groups]


def test_recipe_steps_name_files_that_exist() -> None:
    text = steps("development.md", "Recipe: add an adapter")
    named = named_paths(text)
    assert "audit/ingest/registry.py" in named
    assert "data/platforms.yaml" in named
    assert [path for path in named if not (ROOT / path).exists()] == []
    # step 3: built-ins are "module:Class" strings in BUILTIN, canonical last
    assert all(re.fullmatch(r"audit\.ingest\.\w+:\w+", spec) for spec in registry.BUILTIN)
    assert registry.BUILTIN[-1] == "audit.ingest.canonical:CanonicalAdapter"
    # step 4: the sniff test keeps its fixture folders in EXPECTED
    sniff = (ROOT / "tests/ingest/test_ingest_sniff.py").read_text(encoding="utf-8")
    assert "\nEXPECTED = {" in sniff


def test_recipe_adapter_is_ingested_and_its_title_printed(
    clean: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # step 1: the module of the recipe
    module = types.ModuleType(MODULE)
    exec(compile(block("development.md", "recipe-adapter"), MODULE, "exec"), module.__dict__)
    monkeypatch.setitem(sys.modules, MODULE, module)
    # step 2: its platform under `platforms:` of (a copy of) data/platforms.yaml
    data = tmp_path / "data"
    shutil.copytree(resources.data_dir(), data, ignore=shutil.ignore_patterns("examples"))
    yaml_text = (data / "platforms.yaml").read_text(encoding="utf-8")
    assert "\nplatforms:\n" in yaml_text
    entry = block("development.md", "recipe-adapter-platform")
    (data / "platforms.yaml").write_text(
        yaml_text.replace("\nplatforms:\n", "\nplatforms:\n" + entry, 1)
    )
    # the copy is read where platforms.yaml is read (the registry and the estimators' registry)
    # only: other caches of data/ keep the shipped files
    monkeypatch.setattr(registry, "data_file", lambda *parts: data.joinpath(*parts))
    monkeypatch.setattr(footprint, "data_dir", lambda: data)
    # step 3: registered in BUILTIN, before canonical
    spec = f"{MODULE}:NotesAdapter"
    monkeypatch.setattr(registry, "BUILTIN", (*registry.BUILTIN[:-1], spec, registry.BUILTIN[-1]))
    _clear()

    film = tmp_path / "film"
    write_skeleton(film)
    (film / "logs" / "day1.notes").write_text(NOTES, encoding="utf-8")
    audit_run = run(film, Options(as_of=date(2026, 11, 20), require_timeline=False))
    gens = sorted(audit_run.link.objects(range(len(audit_run.link.table))), key=lambda g: g.id)
    assert [(g.id, g.adapter, g.source_file, g.source_locator) for g in gens] == [
        ("notes:n1", "notes", "logs/day1.notes", "2"),
        ("notes:n2", "notes", "logs/day1.notes", "3"),
    ]
    assert registry.platforms().title("studio-notes") == "Studio Notes"
    assert _tools(credits_context(audit_run, "en")) == ["Studio Notes (notes-xl)"]
    assert "platform.unknown.pue" in audit_run.footprint.coefficient_ids()  # runs_on: unknown
    # step 5: the generated page lists it
    assert "Studio Notes log" in render_platforms_md()


def test_plugin_example_of_adding_an_adapter_reads_its_file(
    clean: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "empreinte_notes_plugin.py").write_text(
        block("adding-an-adapter.md", "plugin-adapter"), encoding="utf-8"
    )
    dist = site / "empreinte_notes_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: empreinte-notes\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        f"[{registry.ENTRY_POINT_GROUP}]\nnotes = empreinte_notes_plugin:NotesAdapter\n"
    )
    monkeypatch.syspath_prepend(str(site))
    _clear()
    log = tmp_path / "logs" / "day1.notes"
    log.parent.mkdir()
    log.write_text("notes:\nn1 2026-09-20T08:00:00Z\n", encoding="utf-8")
    result = ingest_files(tmp_path, [log])
    assert [(g.id, g.platform, g.source_locator) for g in result.generations] == [
        ("notes:n1", "notes", "2")
    ]
    assert registry.platforms().title("notes") == "Studio Notes"
    assert footprint.registry().platform("notes").key == "unknown"  # runs_on: unknown
