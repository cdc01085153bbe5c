"""production.yaml, the rights ledgers and the README of the example production."""

from __future__ import annotations

from _gen_common import (
    ACCOUNT,
    COMFY_SHOT,
    CREF_URL,
    RELEASE_DATE,
    SREF_URL,
    STOCK_FILE,
    TRICKY_SHOT,
    Chain,
    Writer,
)

PRODUCTION_YAML = """\
# Le Dernier Phare — a FICTIONAL production. Every file of this folder is SYNTHETIC example data
# written by data/examples/generate.py (seeded, deterministic); no real person, company or export.
title: "Le Dernier Phare"
original_title: null
directors: ["Inès Morvan", "Théo Kerbrat"]
company: "Collectif Marée Basse"
company_annual_revenue_usd: 180000
year: 2026
runtime_s: 90
release_date: {release}
distribution: [festival, online]
territories: [FR, BE, CH]
languages: [fr]
frame_rate: 25
work_type: fiction
credits:
  - {{role: "Réalisation", name: "Inès Morvan"}}
  - {{role: "Réalisation", name: "Théo Kerbrat"}}
  - {{role: "Scénario", name: "Théo Kerbrat"}}
  - {{role: "Montage", name: "Léa Guivarc'h"}}
  - {{role: "Musique (direction)", name: "Maël Tanguy"}}
  - {{role: "Voix off", name: "Yann Le Goff"}}
  - {{role: "Production", name: "Collectif Marée Basse"}}
compute_regions: {{comfyui: FRA}}       # the local machine of the ComfyUI shot is in Brittany
"""

PLANS = [
    ["midjourney", ACCOUNT, "Pro", "2026-01-01", "2026-12-31"],
    ["kling", ACCOUNT, "Pro", "2026-01-01", "2026-12-31"],
    ["magnific", ACCOUNT, "Premium", "2026-01-01", "2026-12-31"],
    ["suno", ACCOUNT, "Free", "2026-06-01", "2026-09-10"],
    ["suno", ACCOUNT, "Pro", "2026-09-10", "2027-12-31"],
    ["elevenlabs", ACCOUNT, "Creator", "2026-01-01", "2026-12-31"],
    ["comfyui", "local", "n/a", "2026-01-01", "2026-12-31"],
]
CONSENTS = [
    [
        "Yann Le Goff",
        "voice",
        "narration du court métrage Le Dernier Phare, festivals et en ligne",
        "FR|BE|CH",
        "2026-08-01",
        "2027-01-31",
        "consents/yann-le-goff-voix.pdf",
        "non syndiqué",
    ]
]
SOURCES = [
    [
        STOCK_FILE,
        "footage",
        "Houle Images (fictif)",
        "Royalty-free standard",
        "usage illimité dans une œuvre audiovisuelle",
        "WORLD",
        "",
        "licences/houle-images-0412.pdf",
    ],
    [
        CREF_URL,
        "photo",
        "Inès Morvan",
        "own work",
        "référence de personnage (--cref), non diffusée",
        "WORLD",
        "",
        "",
    ],
    [
        SREF_URL,
        "image",
        "Théo Kerbrat",
        "own work",
        "référence de style (--sref), non diffusée",
        "WORLD",
        "",
        "",
    ],
]


def rights(w: Writer) -> None:
    """rights/plans.csv, consents.csv and sources.csv (UTF-8, comma)."""
    w.csv("rights/plans.csv", ["platform", "account", "tier", "from", "to"], PLANS)
    w.csv(
        "rights/consents.csv",
        [
            "person",
            "kind",
            "scope",
            "territories",
            "valid_from",
            "valid_until",
            "document",
            "union_status",
        ],
        CONSENTS,
    )
    w.csv(
        "rights/sources.csv",
        ["asset", "kind", "holder", "licence", "scope", "territories", "valid_until", "document"],
        SOURCES,
    )


def production(w: Writer) -> None:
    w.text("production.yaml", PRODUCTION_YAML.format(release=RELEASE_DATE.isoformat()))


README = """\
# Le Dernier Phare — bundled example production

**Fictional and synthetic.** "Le Dernier Phare" (*The Last Lighthouse*) is a 90-second French short
that does not exist, by a collective that does not exist ("Collectif Marée Basse", directors Inès
Morvan and Théo Kerbrat). Every record here was written by `data/examples/generate.py` from a fixed
seed, in each platform's own export format; none is a real export. JSON object files carry a
`"_synthetic"` key saying so (the ComfyUI `/history` object too: readers skip keys starting with
`_`). Regenerate with `python data/examples/generate.py`.

## Files

| Path | What it is | Records |
|---|---|---|
| `production.yaml` | the film: runtime 90 s, release {release}, festival + online, FR/BE/CH | — |
| `logs/midjourney/archive-*.json` | web "recent jobs" JSON, one list per month: grids, variations, upscales | {midjourney} |
| `logs/midjourney/png/*.png` | 3 website downloads (16×9 px) with `Description`/`Author` text; the same jobs are in the archive | 3 |
| `logs/magnific/requests.jsonl`, `results.json` | Magnific creative upscales: request bodies with their `task_id`, and results | {magnific} |
| `logs/kling/requests.jsonl`, `tasks/*.json` | Kling image-to-video: request bodies with their `task_id`, and query responses | {kling} |
| `logs/comfyui/*.png`, `history.json`, `measured.csv` | shot {comfy}: FLUX.1-dev stills, a Wan 2.1 image-to-video run, its wall-meter energy (RTX 4090) | {comfyui} |
| `logs/suno/clips.json` | Suno feed clips (2 per generation call) | {suno} |
| `logs/elevenlabs/history-page-*.json`, `voice-vx_narr_yann.json` | ElevenLabs TTS history and the cloned narrator voice | {elevenlabs} |
| `timeline/le-dernier-phare.xml` | Premiere Pro / FCP7 xmeml final cut, 25 fps | 14 picture + {audio} audio clips |
| `rights/plans.csv`, `consents.csv`, `sources.csv` | subscription periods, the narrator's consent, licences of non-generated sources | — |

{total} generation records in all (PNG downloads not counted: they duplicate archive jobs).

## How a shot was made

Each animated shot follows one chain, linked through URLs:

1. **Midjourney** — 15 to 40 grids: up to two exploratory wordings, then rerolls of the final
   wording; a few variations; one to three upscales. The last upscale is kept:
   `https://cdn.midjourney.com/<job id>/0_0.png` (2912×1632).
2. **Magnific** — one or two creative 4× upscales whose request `image` is that URL; the last is
   kept: `https://cdn.magnific.example/<task id>.png`.
3. **Kling** — 6 to 12 image-to-video takes whose request `image` is the Magnific URL and whose
   `external_task_id` is `<shot>-t<NN>`; a few failed. The kept take is the file on the timeline:
   `<shot>_kling_<task id>.mp4`.

Shot {comfy} was made locally instead: FLUX.1-dev stills in ComfyUI, the last one loaded by a Wan
2.1 image-to-video graph whose output `{comfy}_wan_00001.mp4` is on the timeline. The 2-s clip
`{stock}` is live stock footage; no generation explains it, `rights/sources.csv` holds its licence.
Music is one Suno clip (audio track 1); the narrator is an ElevenLabs cloned voice (audio track 2).

## What the audit should find

- **Planted problem 1 (music rights).** The kept Suno clip `{suno_id}` was created on
  2026-09-02, while `rights/plans.csv` says the Suno account was on the Free tier until
  2026-09-10; Free-tier songs are not licensed for commercial use and upgrading later does not fix it.
- **Planted problem 2 (voice consent).** Yann Le Goff's consent in `rights/consents.csv` ends on
  2027-01-31, before the release on {release}.
- Also worth a look: shot SC03_SH010's prompts say "in the style of Moebius"; some prompts use
  `--cref` (a photo of the keeper, own work) and `--sref`; ComfyUI used `flux1-dev`, whose weights
  are under a non-commercial licence. The kept Kling prompt of {tricky} contains `<`, `&`, quotes
  and accents: the report must print it as text.
"""


def readme(w: Writer, chain: Chain) -> None:
    counts = chain.counts
    w.text(
        "README.md",
        README.format(
            release=RELEASE_DATE.isoformat(),
            total=sum(counts.values()),
            comfy=COMFY_SHOT,
            stock=STOCK_FILE,
            suno_id=chain.suno_clip[0],
            tricky=TRICKY_SHOT,
            audio=1 + len(chain.narration),
            **counts,
        ),
    )
