"""The AI-disclosure credits block: human authors, AI tools per department (with model versions),
a disclosure statement fitting the case, and a one-line footprint with its range and method version.

Wording: EU AI Act art. 50(4) asks deployers to disclose deep fakes, in a way that does not hamper
the enjoyment of an evidently artistic or fictional work (a credits mention); French Code pénal
art. 226-8 makes an explicit mention (or consent) the line for AI content reproducing a person's
image or words. The statement names every person whose voice or likeness was reproduced.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from babel.lists import format_list

from audit import __version__
from audit.base import columns as col
from audit.base.errors import ConfigError
from audit.base.i18n import N_, Formatter, gettext
from audit.base.models import Generation
from audit.ingest.registry import platforms
from audit.report.contract import Credits, HumanCredit, ToolCredit
from audit.report.render import render_template
from audit.report.roles import credit_role
from audit.report.units import ranged

if TYPE_CHECKING:
    from audit.pipeline import AuditRun

DEPARTMENT_ORDER = ("image", "upscaling", "animation", "music", "voice", "text")
#: Department labels (message ids of the catalogues).
DEPARTMENT_LABELS = {
    "image": N_("Image"),
    "upscaling": N_("Upscaling"),
    "animation": N_("Animation"),
    "music": N_("Music and sound"),
    "voice": N_("Voice"),
    "text": N_("Text"),
}
FICTIONAL = {"fiction", "animation"}
#: What the film contains, by the kinds of media actually generated (images, sounds, voices):
#: one sentence per combination, so that each language agrees its words as it should.
FICTION_STATEMENTS = {
    ("images", "sounds", "voices"): N_(
        "This film contains images, sounds and voices generated or modified with artificial "
        "intelligence tools (listed above)."
    ),
    ("images", "sounds"): N_(
        "This film contains images and sounds generated or modified with artificial "
        "intelligence tools (listed above)."
    ),
    ("images", "voices"): N_(
        "This film contains images and voices generated or modified with artificial "
        "intelligence tools (listed above)."
    ),
    ("sounds", "voices"): N_(
        "This film contains sounds and voices generated or modified with artificial "
        "intelligence tools (listed above)."
    ),
    ("images",): N_(
        "This film contains images generated or modified with artificial intelligence tools "
        "(listed above)."
    ),
    ("sounds",): N_(
        "This film contains sounds generated or modified with artificial intelligence tools "
        "(listed above)."
    ),
    ("voices",): N_(
        "This film contains voices generated or modified with artificial intelligence tools "
        "(listed above)."
    ),
}
NONFICTION_STATEMENT = N_(
    "Some images, sounds or voices of this film were generated or modified with artificial "
    "intelligence; they may depict real people, places or events."
)
#: Modalities → the kind of media the statement names.
MEDIA_KINDS = {
    "image": "images", "upscale": "images", "image_edit": "images", "video": "images",
    "video_edit": "images", "lipsync": "voices", "music": "sounds", "sound": "sounds",
    "speech": "voices", "voice_clone": "voices",
}  # fmt: skip


def media_kinds(generations: list[Generation]) -> tuple[str, ...]:
    """The kinds of media generated, in the statement's order (images, sounds, voices)."""
    found = {MEDIA_KINDS.get(g.modality.value) for g in generations}
    return tuple(k for k in ("images", "sounds", "voices") if k in found)


MODEL_FILE_SUFFIXES = (".safetensors", ".ckpt", ".gguf", ".pt", ".bin")


def _squash(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _tool(gen: Generation, lang: str) -> str:
    """ "Kling (kling-v2-6)", "Midjourney 7", "ComfyUI (flux1-dev)": platform (its title in the
    registry), model, version."""
    title = platforms().title(gen.platform, lang)
    model = gen.model or ""
    for suffix in MODEL_FILE_SUFFIXES:
        model = model.removesuffix(suffix)
    if _squash(model) == _squash(gen.platform):
        model = ""
    version = gen.model_version or ""
    if version and _squash(version).lstrip("v") in _squash(model):
        version = ""
    label = f"{title} ({model})" if model else title
    return f"{label} {version}".strip()


def tools_by_department(generations: list[Generation], lang: str) -> list[ToolCredit]:
    """Tools whose outputs reached the final cut (or, if nothing is linked, all tools used)."""
    used = [g for g in generations if g.kept] or generations
    tools: dict[str, set[str]] = defaultdict(set)
    for gen in used:
        tools[gen.department].add(_tool(gen, lang))
    return [
        ToolCredit(
            department=gettext(lang, DEPARTMENT_LABELS[dept]),
            tools=", ".join(sorted(tools[dept])),
        )
        for dept in DEPARTMENT_ORDER
        if dept in tools
    ]


def _distinct(run: AuditRun, rows: np.ndarray, columns: list[str]) -> list[Generation]:
    """One record of ``rows`` per distinct value of ``columns`` (built for the page: what it
    says of them depends on those columns only)."""
    table = run.link.table  # object columns: compared as they are, not made Arrow text first
    frame = pd.DataFrame({name: table.column(name)[rows] for name in columns}, dtype=object)
    return run.link.objects(rows[~frame.duplicated().to_numpy()])


def _tool_generations(run: AuditRun) -> list[Generation]:
    """For :func:`tools_by_department`: one kept record per tool (or, when nothing is kept,
    one record per tool used)."""
    kept = np.flatnonzero(run.link.kept)
    rows = kept if len(kept) else np.arange(len(run.link.table))
    return _distinct(run, rows, ["platform", "model", "model_version", "modality"])


def reproduced_people(run: AuditRun) -> list[tuple[str, str]]:
    """(person, kind) of every consent record: their voice or likeness was reproduced."""
    return sorted({(c.person, c.kind) for c in run.ledgers.consents})


def disclosure(run: AuditRun, lang: str) -> str:
    """The AI disclosure statement for the credits, when production.yaml gives none: fiction or
    non-fiction wording, naming only the media kinds in the film and the likeness or voice made with
    AI."""
    fictional = run.production.work_type.value in FICTIONAL
    in_film = _distinct(run, np.flatnonzero(run.link.first_unit >= 0), ["modality"])
    kinds_made = media_kinds(in_film) or ("images", "sounds", "voices")
    statement = FICTION_STATEMENTS[kinds_made] if fictional else NONFICTION_STATEMENT
    text = gettext(lang, statement)
    kinds = {
        "voice": gettext(lang, "The voice"),
        "likeness": gettext(lang, "The likeness"),
        "performance": gettext(lang, "The performance"),
    }
    for person, kind in reproduced_people(run):
        text += " " + gettext(
            lang,
            "%(kind)s of %(person)s was reproduced by artificial intelligence, with their consent.",
        ) % {"kind": kinds.get(kind, kind), "person": person}
    return text


def footprint_line(run: AuditRun, lang: str) -> str:
    """The credits' one line of footprint: carbon with its range, energy and water, the Empreinte
    and data versions."""
    fmt = Formatter(lang)
    totals = run.aggregates.totals
    carbon = ranged(fmt, col.CARBON, totals[col.CARBON])
    energy = ranged(fmt, col.ENERGY, totals[col.ENERGY])
    water = ranged(fmt, col.WATER, totals[col.WATER])
    return gettext(
        lang,
        "Estimated footprint of the generative-AI work: %(carbon)s (range "
        "%(crange)s), %(energy)s, %(water)s of water — Empreinte %(version)s, data "
        "%(data)s.",
    ) % {
        "carbon": carbon.central,
        "crange": carbon.range,
        "energy": energy.central,
        "water": water.central,
        "version": __version__,
        "data": run.footprint.registry.data_version,
    }


def human_credits(run: AuditRun, lang: str) -> list[HumanCredit]:
    """One line per role, in the order the roles first appear in production.yaml, naming every
    person credited with it as ``lang`` lists them: "Directed by — Inès Morvan and Théo
    Kerbrat", "Réalisation — Inès Morvan et Théo Kerbrat" (one "Directed by" line per person
    read as two films' worth of directors)."""
    names: dict[str, list[str]] = {}
    for credit in run.production.credits:
        people = names.setdefault(credit.role, [])
        if credit.name not in people:
            people.append(credit.name)
    locale = Formatter(lang).locale
    return [
        HumanCredit(role=credit_role(role, lang), name=format_list(people, locale=locale))
        for role, people in names.items()
    ]


def credits_context(run: AuditRun, lang: str) -> Credits:
    """What credits.md shows: human credits with their roles in ``lang``, AI tools by department,
    the disclosure and the footprint line."""
    return Credits(
        humans=human_credits(run, lang),
        tools=tools_by_department(_tool_generations(run), lang),
        disclosure=run.production.ai_disclosure or disclosure(run, lang),
        footprint_line=footprint_line(run, lang),
    )


def render_credits(run: AuditRun, lang: str, fmt: str, credits: Credits | None = None) -> str:
    """The credits block as plain text, Markdown or an HTML fragment (autoescaped); ``credits``:
    :func:`credits_context` of ``run`` in ``lang``, when it is built already."""
    if fmt not in ("txt", "md", "html"):
        raise ConfigError(
            "unknown format", field="--format", value=fmt, choices=["txt", "md", "html"]
        )
    return render_template(
        f"credits.{fmt}.j2",
        lang,
        {"credits": credits or credits_context(run, lang), "title": run.production.title},
    )
