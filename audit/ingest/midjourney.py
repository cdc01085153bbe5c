"""Midjourney: the web app's "recent jobs" JSON (as saved by archivers) and PNGs downloaded from the
website, whose ``Description`` text chunk ends with ``Job ID: <uuid>``.

Midjourney has no public API (platforms-and-rights.md §1.4, [S]). Everything about a job's inputs is
inside ``full_command``: the prompt, leading image-prompt URLs, ``--sref``/``--cref``/``--oref``
references and parameters. A PNG and the archive record of the same job get the same id
(``midjourney:<uuid>``), so the walker merges them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.base.models import AssetRef
from audit.ingest._images import image_size, png_chunk_text, png_text, png_time
from audit.ingest._records import each_record, json_records, load_document, pointer
from audit.ingest._sniff import has_all, is_json_suffix, looks_canonical
from audit.ingest._util import (
    TIME_SOURCE,
    iso_time,
    mtime_utc,
    opt_int,
    opt_list,
    opt_str,
    required,
)
from audit.ingest.base import Adapter, Item, Reject, Source, build, guarded, head, head_text
from audit.ingest.midjourney_proxy import is_proxy_task, proxy_fields

CDN = "https://cdn.midjourney.com"
LOCATOR = "tEXt:Description"
_JOB_ID = re.compile(r"\s*Job ID:\s*([0-9a-fA-F-]{36})\s*$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_PARAM = re.compile(r"(?:^|\s)--(?=[a-zA-Z])")
_URL = re.compile(r"^<?(https?://\S+?)>?$")
#: Parameters whose values are input references, and the AssetRef role they get.
_REF_ROLES = {"sref": "sref", "cref": "cref", "oref": "oref"}
#: Parameters copied into attributes under a stable name.
_ATTRS = {
    "ar": "aspect_ratio",
    "aspect": "aspect_ratio",
    "s": "stylize",
    "stylize": "stylize",
    "q": "quality",
    "quality": "quality",
    "c": "chaos",
    "chaos": "chaos",
    "style": "style",
    "iw": "image_weight",
    "w": "weird",
    "weird": "weird",
    "p": "personalize",
    "sw": "style_weight",
    "cw": "character_weight",
    "ow": "omni_weight",
    "raw": "raw",
    "tile": "tile",
}


@dataclass
class Command:
    """What a ``full_command`` says."""

    prompt: str = ""
    negative: str | None = None
    version: str | None = None
    seed: int | None = None
    refs: list[AssetRef] = field(default_factory=list)
    attributes: dict[str, str | int | float | bool | None] = field(default_factory=dict)

    @property
    def has_image_prompt(self) -> bool:
        """Whether the command starts with an image prompt (a URL before the words)."""
        return any(ref.role == "image_prompt" for ref in self.refs)


def parse_command(text: str) -> Command:
    """Split a Midjourney command into prompt, image prompts, references and parameters."""
    head_part, *params = _PARAM.split(text.strip())
    cmd = Command()
    words = head_part.split()
    while words and (url := _URL.match(words[0])):
        cmd.refs.append(AssetRef(uri=url.group(1), role="image_prompt"))
        words.pop(0)
    cmd.prompt = " ".join(words)
    for param in params:
        name, _, value = param.strip().partition(" ")
        _apply(cmd, name.lower(), value.strip())
    return cmd


def _apply(cmd: Command, name: str, value: str) -> None:
    if name in ("v", "version"):
        cmd.version = value or None
    elif name == "niji":
        cmd.version = f"niji {value}".strip()
    elif name == "seed":
        # isdecimal: "²" is a digit int() refuses; 20 digits: beyond any seed, and int() limits
        cmd.seed = int(value) if value.isdecimal() and len(value) <= 20 else None
    elif name == "no":
        cmd.negative = value or None
    elif name in _REF_ROLES:
        urls = [m.group(1) for m in map(_URL.match, value.split()) if m]
        codes = [v for v in value.split() if not _URL.match(v)]
        cmd.refs += [AssetRef(uri=url, role=_REF_ROLES[name]) for url in urls]
        if codes:
            cmd.attributes[f"{name}_codes"] = " ".join(codes)
    else:
        key = _ATTRS.get(name, name)
        cmd.attributes[key] = True if value == "" else value


def _kind(job_type: str, event_type: str, has_image_prompt: bool) -> tuple[str, str]:
    """(modality, task) from ``job_type``/``event_type``."""
    text = f"{job_type} {event_type}".lower()
    if "upscal" in text:
        return "upscale", "upscale"
    if "variation" in text:
        return "image", "variation"
    if "video" in text:
        return "video", "image_to_video"
    if any(word in text for word in ("pan", "outpaint", "zoom", "inpaint", "remix")):
        return "image_edit", event_type or job_type
    return "image", "image_to_image" if has_image_prompt else "text_to_image"


def _version_of(job_type: str) -> str | None:
    match = re.match(r"v(\d+(?:\.\d+)?)_", job_type)
    return match.group(1) if match else None


def _job_records(source: Source) -> Iterator[tuple[str, Any]]:
    """Jobs of an archive: a list, ``{"jobs": [...]}``, JSON Lines, one job, or the object
    users' own scrapers write, keyed by job id (``{<job id>: {id, prompt, image_url, url}}``)."""
    if source.path.suffix.lower() == ".jsonl":
        yield from json_records(source)
        return
    doc = load_document(source)
    if isinstance(doc, dict) and "jobs" not in doc and _keyed_by_id(doc):
        yield from ((pointer(key), job) for key, job in doc.items())
        return
    yield from json_records(source, ("jobs",))


def _keyed_by_id(doc: dict[str, Any]) -> bool:
    """Every value an object and every key a job id (36-character UUID)."""
    return bool(doc) and all(
        isinstance(job, dict) and _UUID.match(str(key)) for key, job in doc.items()
    )


def _key_of(locator: str) -> str | None:
    """The job id a scraper archive keys the record by (its JSON pointer ``/<job id>``)."""
    key = locator.removeprefix("/")
    return key if _UUID.match(key) else None


def _saved_images(job: dict[str, Any]) -> list[str]:
    """The images a scraper saved (``image_url``, or the older ``image_paths`` list)."""
    single = opt_str(job, "image_url")
    paths = [str(p) for p in opt_list(job, "image_paths") if isinstance(p, str) and p]
    return [single] if single else paths


class MidjourneyAdapter(Adapter):
    """Midjourney jobs from the website's archive JSON (and scrapers' and Discord relays' forms) and
    from the PNGs it serves, whose Description chunk holds the command."""

    name = "midjourney"
    platform = "midjourney"
    title = "Midjourney (web archive JSON and downloaded PNGs)"
    suffixes = (".json", ".jsonl", ".png")
    formats = (
        'recent-jobs/archive JSON: a list of jobs, {"jobs": [...]}, or one job per JSON Lines '
        "line; archives users' own scrapers write, one object keyed by job id ({<job id>: {id, "
        "prompt, image_url, url}}) or jobs of the older recent-jobs form ({id, prompt, "
        "image_paths[], enqueue_time}); PNGs downloaded from the website (text chunks "
        "Description '... Job ID: <uuid>', Author, Creation Time in RFC 1123), merged with the "
        "archive record of the same job; tasks of Discord relays (midjourney-proxy: {id, action, "
        "prompt, promptEn, status, submitTime, startTime, finishTime, imageUrl, properties}), "
        "one, a list or JSON Lines, the job id read from the image's file name"
    )
    reads = (
        "id (or the archive key), enqueue_time (UTC), job_type, event_type, full_command or "
        "prompt (prompt, image-prompt URLs, --v/--niji, --ar, --seed, --s, --q, --no, --p, "
        "--sref/--cref/--oref), batch_size, width, height, parent_id, parent_grid, username, "
        "image_url / image_paths (outputs), url (page); PNG Description, Author, Creation Time, "
        "pixel size from the image header"
    )
    cannot_know = (
        "plan tier, stealth/public mode, GPU minutes; a PNG alone gives no job type; a scraper "
        "archive gives no time (the file's modification time, flagged) nor job type; a WebP "
        "image (as the CDN serves it, even under a .png name) carries no Midjourney metadata"
    )
    seen_in = (
        "PNG Description/Author chunks: peterkaminski's Midjourney notes (exiftool output) and "
        "metadata parsers (midjourney_style_text_chunks rules); relay tasks {action, "
        "description, failReason, finishTime, id, imageUrl, progress, prompt, promptEn, "
        "properties, startTime, state, status, submitTime} of novicezk/midjourney-proxy as "
        "public clients type them (FetchRes); recent-jobs fields: "
        "NickyReid/midjourney-image-downloader download.py (id, prompt, image_paths, "
        "enqueue_time), nadjioussama/Scraping-Midjourney-Showcase-page midjourney.py "
        "(prompt, image_paths); CDN WebP downloads: monomadic/config bin/midjourney-dl.py"
    )

    def sniff(self, path: Path) -> bool:
        """A PNG whose Description names a Job ID, or JSON of Midjourney jobs or relay tasks."""
        suffix = path.suffix.lower()
        if suffix == ".png":
            data = head(path)
            if b"Description\x00" in data and b"Job ID" in data:
                return True
            # the chunk may be compressed (zTXt, iTXt) or come after large ones (XMP)
            description = png_chunk_text(path, "Description")
            return description is not None and _JOB_ID.search(description) is not None
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text):
            return False
        if has_all(text, '"full_command"', '"job_type"'):
            return True
        if has_all(text, '"submitTime"', '"action"') and (
            '"imageUrl"' in text or '"promptEn"' in text
        ):
            return True  # a Discord relay's tasks (midjourney-proxy)
        saved = '"image_url"' in text or '"image_paths"' in text
        return saved and '"prompt"' in text and "midjourney.com/" in text

    def unclaimed_hint(self, path: Path) -> str | None:
        """A WEBP image under a .png name: how Midjourney's CDN serves images (cdn.midjourney.com
        /<job id>/0_<n>.png answers WEBP), which carries none of the website download's text
        chunks (prompt, Job ID)."""
        data = head(path)
        if path.suffix.lower() != ".png" or not (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
            return None
        return (
            "Midjourney's CDN serves WEBP under .png links, without the prompt and Job ID: "
            "download the image from midjourney.com (a PNG whose Description chunk holds them)"
        )

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Archives first, so that the archive record is kept and PNGs fill its gaps."""
        ordered = sorted(sources, key=lambda s: (s.path.suffix.lower() == ".png", s.name))
        for source in ordered:
            yield from guarded(source, self.read(source))

    def read(self, source: Source) -> Iterator[Item]:
        """A PNG's one job, or each job of an archive with its JSON pointer."""
        if source.path.suffix.lower() == ".png":
            yield self._png(source)
            return
        pairs = _job_records(source)
        yield from each_record(source, pairs, lambda loc, obj: self._job(source, loc, obj))

    def _proxy(self, source: Source, locator: str, task: dict[str, Any]) -> Item:
        """A Discord relay's task (midjourney-proxy): see :mod:`audit.ingest.midjourney_proxy`."""
        fields = proxy_fields(task)
        command = parse_command(fields.pop("command"))
        attributes = {**command.attributes, **fields.pop("attributes")}
        outputs = fields.pop("outputs")
        return build(
            source,
            locator,
            self.name,
            **self._common(command, None),
            **fields,
            model_version=command.version,
            inputs=command.refs,
            outputs=outputs,
            outputs_count=len(outputs) or 1,
            attributes={k: v for k, v in attributes.items() if v is not None},
        )

    def _job(self, source: Source, locator: str, job: dict[str, Any]) -> Item:
        if is_proxy_task(job):
            return self._proxy(source, locator, job)
        job_id = required(opt_str(job, "id") or _key_of(locator), "id")
        created = iso_time(job, "enqueue_time")
        text = opt_str(job, "full_command") or opt_str(job, "prompt")
        command = parse_command(required(text, "full_command"))
        job_type = opt_str(job, "job_type") or ""
        event_type = opt_str(job, "event_type") or ""
        modality, task = _kind(job_type, event_type, command.has_image_prompt)
        count = 1 if modality == "upscale" else opt_int(job, "batch_size") or 1
        parent = opt_str(job, "parent_id")
        grid = opt_int(job, "parent_grid")
        inputs = list(command.refs)
        if parent is not None and grid is not None:
            inputs.append(AssetRef(uri=f"{CDN}/{parent}/0_{grid}.png", role="parent"))
        attributes = {**command.attributes, "job_type": job_type or None}
        attributes.update({"event_type": event_type or None, "parent_grid": grid})
        attributes["page_url"] = opt_str(job, "url")
        if created is None:
            created = mtime_utc(source.path)
            attributes[TIME_SOURCE] = "file_mtime"
        outputs = _saved_images(job) or [f"{CDN}/{job_id}/0_{i}.png" for i in range(count)]
        return build(
            source,
            locator,
            self.name,
            **self._common(command, opt_str(job, "username")),
            id=f"midjourney:{job_id}",
            model_version=command.version or _version_of(job_type),
            modality=modality,
            task=task,
            created_at=created,
            width=opt_int(job, "width"),
            height=opt_int(job, "height"),
            outputs_count=max(count, len(outputs)),
            inputs=inputs,
            outputs=outputs,
            parent_ids=[f"midjourney:{parent}"] if parent else [],
            attributes={k: v for k, v in attributes.items() if v is not None},
        )

    def _common(self, command: Command, user: str | None) -> dict[str, Any]:
        """Fields an archive job and a downloaded PNG both tell."""
        return {
            "platform": self.platform,
            "account": user,
            "operator": user,
            "model": "midjourney",
            "prompt": command.prompt or None,
            "negative_prompt": command.negative,
            "seed": command.seed,
        }

    def _png(self, source: Source) -> Item:
        text = png_text(source)
        description = text.get("Description", "")
        match = _JOB_ID.search(description)
        if match is None:
            tail = repr(description[-60:])
            return Reject(source.name, LOCATOR, "Description", "no 'Job ID: <uuid>'", tail)
        job_id = match.group(1).lower()
        command = parse_command(description[: match.start()])
        created, origin = png_time(source, text)
        width, height = image_size(source)
        index = re.search(r"_(\d+)\.png$", source.path.name)
        attributes = {**command.attributes, "downloaded_file": source.path.name}
        if origin == "file_mtime":
            attributes[TIME_SOURCE] = origin
        return build(
            source,
            LOCATOR,
            self.name,
            **self._common(command, text.get("Author") or None),
            id=f"midjourney:{job_id}",
            model_version=command.version,
            modality="image",
            task="image_to_image" if command.has_image_prompt else "text_to_image",
            created_at=created,
            width=width,
            height=height,
            outputs=[f"{CDN}/{job_id}/0_{index.group(1) if index else 0}.png"],
            inputs=command.refs,
            attributes=attributes,
        )
