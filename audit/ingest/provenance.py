"""Content Credentials (C2PA) and IPTC digital-source-type of the media files of a production.

Every image, video and audio file under the production folder is read with c2pa-python **offline**:
remote manifests are not fetched (the URL is reported instead) and no OCSP request is made, so
reading an untrusted file never contacts a third party. The manifest's validation state, signer,
claim generator, software agents and IPTC ``digitalSourceType`` values are recorded and the file is
classified as fully AI, partly AI, captured, synthetic (not generative AI) or unknown. Without a
manifest, an XMP ``Iptc4xmpExt:DigitalSourceType`` written in the file is used instead.

**Absence proves nothing.** Most social platforms, screenshots and many editing exports strip
metadata, and most generation platforms never embed Content Credentials; a file without them may
still be AI-generated. Presence with a valid signature is strong evidence of what the signer claims.
Trust is not established offline: without the C2PA trust list, a valid signature is reported as
``valid_untrusted``.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

IMAGE_SUFFIXES = (
    ".jpg",
    ".jpeg",
    ".png",
    ".webp",
    ".tif",
    ".tiff",
    ".heic",
    ".heif",
    ".avif",
    ".gif",
    ".dng",
)
VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".avi")
AUDIO_SUFFIXES = (".wav", ".mp3", ".flac", ".m4a")
MEDIA_SUFFIXES = IMAGE_SUFFIXES + VIDEO_SUFFIXES + AUDIO_SUFFIXES
#: Folders whose files are delivered masters (rule PROV001 compares them with the sources).
MASTER_FOLDERS = ("deliverables", "masters")

_DST_PREFIX = "digitalsourcetype/"
_DST_URI = re.compile(rb"digitalsourcetype/([A-Za-z]+)")
_DST_ATTR = re.compile(rb"DigitalSourceType\s*(?:=\s*[\"']|>)\s*([A-Za-z]+)[\"'<]")
_URL = re.compile(r"https?://[^\s'\"]+")
_XMP_SCAN_BYTES = 8 * 1024 * 1024
_SKIP_DIRS = {".git", ".venv", "__pycache__", "node_modules"}


class C2paState(StrEnum):
    """What reading the file's Content Credentials gave, offline."""

    valid_trusted = "valid_trusted"
    valid_untrusted = "valid_untrusted"  # signature valid, signer not on a loaded trust list
    invalid = "invalid"  # e.g. assertion.dataHash.mismatch: the file changed after signing
    remote_not_fetched = "remote_not_fetched"  # manifest stored at a URL we do not fetch
    absent = "absent"  # no manifest in the file
    unreadable = "unreadable"  # the library could not parse the file or its format


class AiClass(StrEnum):
    """How the recorded digital source types classify the content."""

    fully_ai = "fully_ai"
    partly_ai = "partly_ai"
    captured = "captured"
    synthetic_non_ai = "synthetic_non_ai"
    unknown = "unknown"


#: IPTC digitalSourceType (last path segment) → class; source: iptc-digital-source-type, c2pa-rs.
DST_CLASS: dict[str, AiClass] = {
    "trainedAlgorithmicMedia": AiClass.fully_ai,
    "compositeWithTrainedAlgorithmicMedia": AiClass.partly_ai,
    "compositeSynthetic": AiClass.partly_ai,
    "algorithmicMedia": AiClass.synthetic_non_ai,
    "digitalCapture": AiClass.captured,
    "computationalCapture": AiClass.captured,
    "negativeFilm": AiClass.captured,
    "positiveFilm": AiClass.captured,
    "print": AiClass.captured,
    "screenCapture": AiClass.captured,
}
_PRIORITY = (AiClass.partly_ai, AiClass.fully_ai, AiClass.captured, AiClass.synthetic_non_ai)


class Provenance(BaseModel):
    """What one media file says about its own origin."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="file, relative to the production folder (POSIX)")
    state: C2paState = Field(description="Content Credentials state, read offline")
    classification: AiClass = Field(description="from the digitalSourceType values")
    origin: str = Field(description="where the classification came from: c2pa | xmp | none")
    reasons: list[str] = Field(
        default_factory=list, description="validation failure codes or the reading error"
    )
    remote_url: str | None = Field(default=None, description="remote manifest URL (not fetched)")
    claim_generator: str | None = Field(default=None, description="active manifest's generator")
    software_agents: list[str] = Field(default_factory=list, description="from c2pa actions")
    digital_source_types: list[str] = Field(
        default_factory=list, description="IPTC values, short form, all manifests"
    )
    instance_id: str | None = Field(default=None, description="active manifest's instance_id")
    signer: str | None = Field(default=None, description="signature common name (issuer)")
    signed_at: str | None = Field(default=None, description="signing time, ISO 8601")

    @property
    def has_manifest(self) -> bool:
        """A manifest was found (whatever its validity)."""
        return self.state not in (C2paState.absent, C2paState.unreadable)

    @property
    def is_master(self) -> bool:
        """Whether the file is a delivered master (under deliverables/ or masters/), which rule
        PROV001 compares with the sources."""
        return self.path.split("/", 1)[0] in MASTER_FOLDERS


def classify(values: list[str]) -> AiClass:
    """The strongest class among digitalSourceType values (partly AI before fully AI: a composite
    file is only partly generated)."""
    classes = {DST_CLASS.get(value, AiClass.unknown) for value in values}
    return next((cls for cls in _PRIORITY if cls in classes), AiClass.unknown)


def short_dst(value: str) -> str:
    """``http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia`` → the last
    segment."""
    return value.rsplit(_DST_PREFIX, 1)[-1].rsplit("/", 1)[-1]


def _actions(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for assertion in manifest.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            found += [
                a for a in (assertion.get("data") or {}).get("actions") or [] if isinstance(a, dict)
            ]
    return found


def _agent_name(agent: Any) -> str | None:
    if isinstance(agent, dict):
        name = agent.get("name")
        return f"{name} {agent['version']}" if name and agent.get("version") else name
    return str(agent) if agent else None


def _manifest_dsts(manifest: dict[str, Any]) -> list[str]:
    return [
        short_dst(str(a["digitalSourceType"]))
        for a in _actions(manifest)
        if a.get("digitalSourceType")
    ]


def _ingredient_dsts(store: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    values: list[str] = []
    for ingredient in manifest.get("ingredients") or []:
        child = (store.get("manifests") or {}).get(ingredient.get("active_manifest") or "")
        if child:
            values += _manifest_dsts(child) or _ingredient_dsts(store, child)
    return values


def _from_store(rel: str, store: dict[str, Any], state: C2paState) -> Provenance:
    manifests = store.get("manifests") or {}
    active = manifests.get(store.get("active_manifest") or "") or {}
    own = _manifest_dsts(active)
    every = sorted({dst for m in manifests.values() for dst in _manifest_dsts(m)})
    agents = sorted(
        {
            name
            for m in manifests.values()
            for a in _actions(m)
            if (name := _agent_name(a.get("softwareAgent")))
        }
    )
    codes = sorted(
        {str(s.get("code")) for s in store.get("validation_status") or [] if s.get("code")}
    )
    signature = active.get("signature_info") or {}
    return Provenance(
        path=rel,
        state=state,
        origin="c2pa",
        classification=classify(own or _ingredient_dsts(store, active)),
        reasons=sorted(codes, key=lambda code: code == "signingCredential.untrusted"),
        claim_generator=active.get("claim_generator"),
        software_agents=agents,
        digital_source_types=every,
        instance_id=active.get("instance_id"),
        signer=signature.get("common_name") or signature.get("issuer"),
        signed_at=signature.get("time"),
    )


def _state(validation_state: str | None) -> C2paState:
    if (validation_state or "").lower() == "invalid":
        return C2paState.invalid
    if (validation_state or "").lower() == "trusted":
        return C2paState.valid_trusted
    return C2paState.valid_untrusted


def xmp_source_types(path: Path) -> list[str]:
    """IPTC DigitalSourceType values written as plain XMP in the file (first 8 MiB and last
    8 MiB; compressed metadata is not searched)."""
    with path.open("rb") as fh:
        data = fh.read(_XMP_SCAN_BYTES)
        size = path.stat().st_size
        if size > 2 * _XMP_SCAN_BYTES:
            fh.seek(size - _XMP_SCAN_BYTES)
            data += fh.read()
    if b"igitalSourceType" not in data and b"digitalsourcetype" not in data:
        return []
    found = {m.decode("ascii") for m in _DST_URI.findall(data)}
    found |= {m.decode("ascii") for m in _DST_ATTR.findall(data)}
    return sorted(found)


def _without_manifest(
    rel: str, path: Path, state: C2paState, reasons: list[str], remote_url: str | None = None
) -> Provenance:
    values = xmp_source_types(path)
    return Provenance(
        path=rel,
        state=state,
        classification=classify(values),
        origin="xmp" if values else "none",
        reasons=reasons,
        remote_url=remote_url,
        digital_source_types=values,
    )


def read_provenance(path: Path, rel: str, context: Any) -> Provenance:
    """One file through c2pa-python with ``context`` (built by :func:`offline_context`)."""
    import c2pa

    try:
        with c2pa.Reader(str(path), context=context) as reader:
            store = json.loads(reader.json())
            state = _state(reader.get_validation_state())
    except c2pa.C2paError.ManifestNotFound:
        return _without_manifest(rel, path, C2paState.absent, [])
    except c2pa.C2paError as exc:
        message = str(exc)
        if message.startswith("Remote"):
            url = _URL.search(message)
            return _without_manifest(
                rel, path, C2paState.remote_not_fetched, [message], url.group(0) if url else None
            )
        return _without_manifest(rel, path, C2paState.unreadable, [message])
    return _from_store(rel, store, state)


def offline_context() -> Any:
    """A c2pa Context that never fetches remote manifests nor OCSP responses."""
    import c2pa

    settings = c2pa.Settings.from_dict(
        {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    )
    return c2pa.Context(settings=settings)


def media_files(folder: Path) -> list[Path]:
    """Image, video and audio files under ``folder`` (hidden and tool folders skipped), sorted."""
    found = []
    inside = folder.resolve()
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if not path.resolve().is_relative_to(inside):  # a link leading out of the folder
            continue
        if any(part in _SKIP_DIRS or part.startswith(".") for part in parts):
            continue
        if path.is_file() and path.suffix.lower() in MEDIA_SUFFIXES:
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def scan_provenance(folder: Path, files: list[Path] | None = None) -> list[Provenance]:
    """Provenance of every media file under ``folder`` (or of ``files``, absolute or relative to
    ``folder``), read offline; sorted by path."""
    paths = (
        media_files(folder)
        if files is None
        else [path if path.is_absolute() else folder / path for path in files]
    )
    if not paths:
        return []
    context = offline_context()
    results = []
    for path in paths:
        try:
            rel = path.resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            rel = path.as_posix()
        results.append(read_provenance(path, rel, context))
    return sorted(results, key=lambda item: item.path)
