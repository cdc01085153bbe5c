"""The report as a producer hands it over (issue 19): credit roles in the reader's language, a
disclosure naming only the media generated, a hint when a local run fell back on the world grid."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from audit.base.i18n import gettext
from audit.base.resources import example_dir
from audit.pipeline import AuditRun, Options, run
from audit.report.context import build_context
from audit.report.credits import FICTION_STATEMENTS, media_kinds
from audit.report.roles import credit_role


@pytest.mark.parametrize(
    ("written", "fr", "en"),
    [
        ("Réalisation", "Réalisation", "Directed by"),
        ("Directed by", "Réalisation", "Directed by"),
        ("RÉALISATRICE", "Réalisation", "Directed by"),
        ("Musique (direction)", "Direction musicale", "Music direction"),
        ("voix off", "Voix off", "Voice-over"),
        ("Chef décorateur", "Chef décorateur", "Chef décorateur"),  # unknown: kept as written
    ],
)
def test_credit_roles_from_the_vocabulary(written: str, fr: str, en: str) -> None:
    assert (credit_role(written, "fr"), credit_role(written, "en")) == (fr, en)


def test_english_credits_have_english_roles(example_run: AuditRun) -> None:
    roles = [h.role for h in build_context(example_run, "en").credits.humans]
    assert roles[:4] == ["Directed by", "Screenplay", "Editing", "Music direction"]
    french = [h.role for h in build_context(example_run, "fr").credits.humans]
    assert french[:4] == ["Réalisation", "Scénario", "Montage", "Direction musicale"]


def test_one_line_per_role_naming_everyone_credited(example_run: AuditRun) -> None:
    """The example's two directors share one line, listed as each language lists people; a
    role keeps the place of its first credit, and a name given twice for it is named once."""
    credits = [*example_run.production.credits]
    credits.insert(3, credits[0])  # the first director again, after other roles
    production = example_run.production.model_copy(update={"credits": credits})
    run = dataclasses.replace(example_run, production=production)
    en = [(h.role, h.name) for h in build_context(run, "en").credits.humans]
    fr = [(h.role, h.name) for h in build_context(run, "fr").credits.humans]
    assert en[0] == ("Directed by", "Inès Morvan and Théo Kerbrat")
    assert fr[0] == ("Réalisation", "Inès Morvan et Théo Kerbrat")
    assert [role for role, _ in en].count("Directed by") == 1
    assert len(en) == len({c.role for c in credits})


def test_every_statement_translated_and_kinds_ordered(example_run: AuditRun) -> None:
    assert media_kinds(example_run.link.objects(np.arange(len(example_run.link.table)))) == (
        "images",
        "sounds",
        "voices",
    )
    for message in FICTION_STATEMENTS.values():
        assert gettext("fr", message) != message


@pytest.fixture(scope="module")
def no_region(tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    """The example with compute_regions removed: ComfyUI's machine has no country."""
    root = tmp_path_factory.mktemp("no-region") / "film"
    shutil.copytree(example_dir(), root)
    yaml_path = root / "production.yaml"
    lines = yaml_path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("compute_regions:")]
    assert len(kept) == len(lines) - 1
    yaml_path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return run(root, Options(as_of=date(2026, 11, 20)))


def test_local_run_on_the_world_grid_is_named(no_region: AuditRun, example_run: AuditRun) -> None:
    hints = build_context(no_region, "fr").methodology.region_hints
    assert len(hints) == 1
    assert hints[0].startswith("comfyui a tourné sur la machine de la production")
    assert "compute_regions: {comfyui: FRA}" in hints[0]
    assert build_context(example_run, "fr").methodology.region_hints == []


def test_example_folder_untouched(example_run: AuditRun) -> None:
    assert "compute_regions" in (Path(example_run.root) / "production.yaml").read_text("utf-8")
