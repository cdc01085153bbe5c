"""``empreinte init DIR``: a commented production-folder skeleton."""

from __future__ import annotations

from pathlib import Path

from audit.base.errors import ConfigError
from audit.forecast.draft import plan_template

PRODUCTION_YAML = """\
# production.yaml — describes the film. Every field is explained in docs/production-folder.md.
title: "Mon court métrage"          # title as released
original_title: null                # original title, if different
directors: ["Prénom Nom"]           # one or more
company: "Ma société de production" # production company or collective
company_annual_revenue_usd: null    # gross annual revenue in US$ (Midjourney >1M rule, Stability licence)
year: 2026
runtime_s: 90                       # finished film runtime, in seconds
release_date: 2027-01-31            # first public screening or release (consents must cover it)
distribution: [festival, online]    # festival | commercial | broadcast | online | education
territories: [FR]                   # ISO 3166 alpha-2 codes, or WORLD
languages: [fr]
frame_rate: 25                      # of the cut, as written: 23.976, 24, 25, 29.97 DF… (an EDL does not say it)
work_type: fiction                  # fiction | animation | documentary | advertising | music_video | other
credits:                            # human roles and names, printed on the credits page
  - {role: "Réalisation", name: "Prénom Nom"}
ai_disclosure: null                 # the AI-disclosure sentence of your end credits, once written
compute_regions: {}                 # e.g. {kling: CHN, comfyui: FRA} to override where it computed
timeline: null                      # name of the timeline to use when a file holds several
"""

README_LOGS = """\
Drop here, as they are, the records your platforms give you (any depth):
Midjourney archive JSON and downloaded PNGs, Kling/Runway/Veo task JSON with their request logs,
Suno clip JSON, ElevenLabs history pages and voice objects, ComfyUI PNG/WEBP or /history JSON...
For anything without an export, log it by hand in a CSV with the columns of generations.csv
(see docs/production-folder.md). Run `empreinte ingest DIR` to see what was read.
"""

README_TIMELINE = """\
Put the final cut here: one .otio, .edl, .xml (Premiere / FCP7), .fcpxml or .fcpxmld (Final Cut
Pro), .aaf (Avid), or a shots.csv (shot_id,sequence,record_in,duration_s,media).
"""

LEDGERS = {
    "sources.csv": "asset,kind,holder,licence,scope,territories,valid_until,document\n",
    "consents.csv": "person,kind,scope,territories,valid_from,valid_until,document,union_status\n",
    "plans.csv": "platform,account,tier,from,to\n",
}


def write_skeleton(folder: Path) -> list[Path]:
    """Create the skeleton; refuses to overwrite an existing production.yaml."""
    if folder.exists() and not folder.is_dir():
        raise ConfigError("a file of that name exists: give a folder to create", file=folder)
    target = folder / "production.yaml"
    if target.exists():
        raise ConfigError("already a production folder (production.yaml exists)", file=target)
    files = {
        target: PRODUCTION_YAML,
        folder / "logs" / "README.txt": README_LOGS,
        folder / "timeline" / "README.txt": README_TIMELINE,
        **{folder / "rights" / name: header for name, header in LEDGERS.items()},
        folder / "plan.csv": plan_template(),
    }
    written = []
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
