"""The report's linking-quality block: how much of the cut a generation explains, by which key,
the shots whose kept take is unknown, and what would explain each clip left unexplained
(docs/linking.md, "Linking quality")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from audit.base.i18n import N_, Formatter, gettext
from audit.link.model import USE_NAMES
from audit.link.status import ADVICE_UNRESOLVED, Unexplained, link_quality
from audit.report.contract import Linking, UnexplainedClip, UnexplainedGroup

if TYPE_CHECKING:
    from audit.pipeline import AuditRun

KEY_LABELS = {
    "platform_id": N_("platform id in the file name"),
    "file_name": N_("output file name"),
    "user_name": N_("name given to the take (external_task_id, file prefix, shot tag)"),
    "content_hash": N_("content hash of a local file"),
    "c2pa_instance_id": N_("C2PA instance id"),
}
ADVICE = {
    ADVICE_UNRESOLVED: N_(
        "%(count)s generations were made for this shot (its candidates and their inputs), but "
        "which one is in the cut is unknown: name the clip after the take's own name (a Kling external_task_id such as "
        "SHOT_take1, a ComfyUI prefix and counter), or keep the platform id in the file name "
        "(SHOT_kling_<task id>.mp4)."
    ),
    "untagged": N_(
        "No generation is tagged for this shot: keep the platform id in the file name "
        "(SHOT_kling_<task id>.mp4) or tag the jobs with the shot; stock, archive or live "
        "footage belongs in rights/sources.csv."
    ),
}
#: Clips no generation explains printed in the PDF at most (as the per-shot table's 100 rows).
MAX_CLIPS_IN_PDF = 100
#: (colon, list separator) as the reader's language writes them: French puts a no-break space
#: before both.
_PUNCTUATION = {"fr": ("\u00a0: ", "\u00a0; ")}
USE_LABELS = {
    "in_film": N_("in the film (kept or ancestor)"),
    "possibly_in_film": N_("possibly in the film (to verify)"),
    "not_in_film": N_("not in the film"),
}


def linking_context(run: AuditRun, fmt: Formatter) -> Linking:
    """Everything the linking-quality block prints, formatted for ``fmt.lang``."""
    quality = link_quality(run.link)
    colon, sep = _PUNCTUATION.get(fmt.lang, (": ", "; "))
    keys = sep.join(
        f"{gettext(fmt.lang, KEY_LABELS.get(key, key))}{colon}{fmt.number(seconds, 1)} s"
        for key, seconds in quality.by_key.items()
    )
    use = run.link.use
    counts = {
        name: int((use == code).sum()) if use is not None else 0
        for code, name in enumerate(USE_NAMES)
    }
    return Linking(
        explained=gettext(
            fmt.lang,
            "%(share)s of the cut's picture (%(explained)s s of %(total)s s) is explained by a "
            "generation.",
        )
        % {
            "share": fmt.percent(quality.explained_share),
            "explained": fmt.number(quality.explained_s, 1),
            "total": fmt.number(quality.picture_s, 1),
        },
        by_key=keys,
        use=sep.join(
            f"{gettext(fmt.lang, USE_LABELS[name])}{colon}{fmt.number(counts[name], 0)}"
            for name in USE_NAMES
        ),
        unresolved=", ".join(quality.unresolved_shots),
        unexplained=_unexplained(quality.unexplained[:MAX_CLIPS_IN_PDF], fmt),
        unexplained_more=_more(quality.unexplained[MAX_CLIPS_IN_PDF:], fmt),
        audio_unchecked=quality.audio_unchecked,
    )


def _unexplained(items: list[Unexplained], fmt: Formatter) -> list[UnexplainedGroup]:
    """The clips by the advice that holds for them (said once, not on every row: a feature
    reel of live footage has hundreds), groups in the order of their first clip."""
    groups: dict[str, list[UnexplainedClip]] = {}
    for item in items:
        advice = gettext(fmt.lang, ADVICE[item.advice]) % {"count": fmt.number(item.candidates, 0)}
        clip = UnexplainedClip(
            clip=item.clip.media_name or item.clip.name,
            shot=item.shot_id,
            seconds=fmt.number(item.seconds, 1),
        )
        groups.setdefault(advice, []).append(clip)
    return [UnexplainedGroup(advice=advice, clips=clips) for advice, clips in groups.items()]


def _more(items: list[Unexplained], fmt: Formatter) -> str:
    """What the PDF leaves out of the unexplained clips, or nothing."""
    if not items:
        return ""
    return gettext(
        fmt.lang,
        "%(count)s more clips (%(seconds)s s) that no generation explains are not printed here: "
        "audit.json lists every one (linking.unexplained).",
    ) % {
        "count": fmt.number(len(items), 0),
        "seconds": fmt.number(sum(item.seconds for item in items), 1),
    }


def linking_document(run: AuditRun) -> dict[str, Any]:
    """The ``linking`` block of audit.json."""
    quality = link_quality(run.link)
    use = run.link.use
    return {
        "picture_s": round(quality.picture_s, 6),
        "explained_s": round(quality.explained_s, 6),
        "explained_share": round(quality.explained_share, 6),
        "explained_s_by_key": {k: round(v, 6) for k, v in quality.by_key.items()},
        "unresolved_shots": quality.unresolved_shots,
        "unexplained": [
            {
                "clip": item.clip.media_name or item.clip.name,
                "shot_id": item.shot_id,
                "seconds": round(item.seconds, 6),
                "candidates": item.candidates,
                "advice": item.advice,
            }
            for item in quality.unexplained
        ],
        "audio_unchecked": quality.audio_unchecked,
        "use_status": {
            name: int((use == code).sum()) if use is not None else 0
            for code, name in enumerate(USE_NAMES)
        },
    }
