"""Final Cut Pro XML (FCPXML 1.x, ``.fcpxml`` or an ``.fcpxmld`` bundle), read with exact time.

OpenTimelineIO's ``fcpx_xml`` adapter (1.0.0) truncates rational rates (``100/2400s`` → 23 or 29
fps), lays clips end to end instead of at their ``offset``, and fails on a still (a format without
``frameDuration``). FCPXML states every position itself (``offset``, ``start`` and ``duration`` as
exact fractions of a second), so this module reads it directly:

- a story element sits at ``offset`` in its parent's local time; its own local time starts at its
  ``start`` (default 0). The primary storyline's local time starts at the sequence's ``tcStart``;
  a secondary storyline (``spine`` with a lane) starts at 0;
- items with a ``lane`` are connected clips (lane > 0 above, < 0 below); they are placed through
  their parent's local time and are not cut to the parent's length;
- compound clips (``ref-clip`` → ``media/sequence``), multicam clips (``mc-clip`` → the active
  ``mc-angle``), ``sync-clip`` and ``clip`` contents are seen only through the element's window;
- ``video`` (a still or a generator), ``title``, ``audio`` and ``asset-clip`` are clips;
  transitions and gaps are not; ``audition`` shows its first (active) pick.

See docs/linking.md for what is read and the known limits.
"""

from __future__ import annotations

from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree as ET

from audit.base.errors import TimelineError
from audit.base.rates import Rate, parse_rate
from audit.link.coverage import Span
from audit.link.model import Clip, ClipKind
from audit.link.names import basename, shot_id_in

_MEDIA = ("asset-clip", "video", "audio", "title")
_CONTAINERS = ("clip", "sync-clip", "ref-clip", "mc-clip")
_STORY = (*_MEDIA, *_CONTAINERS, "spine", "gap", "audition")
_DEEPEST = 64  # elements on the path: clips in compound clips in…, or a loop of ref-clips
_ONLY: dict[str, ClipKind | None] = {"audio": "audio", "video": "picture", "all": None}


def fcpxml_time(text: str | None) -> Fraction:
    """``1001/24000s``, ``3600s`` or ``0s`` as an exact number of seconds (absent: 0)."""
    if not text:
        return Fraction(0)
    value = text.strip().removesuffix("s")
    top, _, bottom = value.partition("/")
    try:
        return Fraction(int(top), int(bottom or 1))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"not an FCPXML time: {text!r}") from None


@dataclass(frozen=True)
class Project:
    """One project (sequence) of an FCPXML document."""

    name: str
    sequence: ET.Element
    stated_s: Fraction


@dataclass(frozen=True)
class _Ctx:
    """How a parent's local time maps to the cut, and what of it is seen."""

    base: Fraction  # cut time (s) where the parent's local time ``start`` sits
    start: Fraction
    window: tuple[Fraction, Fraction]
    lanes: tuple[int, ...] = ()
    only: ClipKind | None = None

    def at(self, offset: Fraction) -> Fraction:
        return self.base + offset - self.start


def load(path: Path, shown: str) -> tuple[ET.Element, dict[str, ET.Element]]:
    """The document root and its resources by id; a ``.fcpxmld`` bundle's ``Info.fcpxml``."""
    source = path / "Info.fcpxml" if path.is_dir() else path
    if not source.is_file():
        raise TimelineError(
            "this FCPXML bundle holds no Info.fcpxml; export the project again from Final Cut Pro",
            file=shown,
        )
    try:
        root = ET.parse(source).getroot()
    except (OSError, ET.ParseError) as exc:
        raise TimelineError(f"cannot read as FCPXML: {exc}", file=shown) from exc
    if root.tag != "fcpxml":
        raise TimelineError(f"not FCPXML (root element <{root.tag}>)", file=shown)
    resources = {elem.get("id", ""): elem for elem in root.iterfind("resources/*")}
    return root, resources


def projects(root: ET.Element) -> list[Project]:
    """Every project of the document that holds a sequence, named (or numbered from 1) with its
    duration."""
    found = []
    for index, project in enumerate(root.iter("project")):
        sequence = project.find("sequence")
        if sequence is not None:
            name = project.get("name") or f"#{index + 1}"
            found.append(Project(name, sequence, fcpxml_time(sequence.get("duration"))))
    return found


def sequence_rate(
    sequence: ET.Element, resources: dict[str, ET.Element], fallback: Rate
) -> tuple[Rate, str]:
    """The project's rate from its format's ``frameDuration`` (exact), with a note if absent."""
    fmt = resources.get(sequence.get("format", ""))
    duration = fmt.get("frameDuration") if fmt is not None else None
    if not duration:
        return fallback, f"the project's format states no frame rate; {fallback.label} fps used"
    rate = parse_rate(1 / fcpxml_time(duration))
    drop = sequence.get("tcFormat") == "DF" and rate.nominal in (30, 60)
    return (Rate(rate.exact, drop_frame=True) if drop else rate), ""


def read_project(
    project: Project, resources: dict[str, ET.Element]
) -> tuple[list[tuple[Clip, Span]], Fraction]:
    """Clips of a project placed on the cut, and where its primary storyline ends."""
    spine = project.sequence.find("spine")
    if spine is None:
        return [], Fraction(0)
    origin = fcpxml_time(project.sequence.get("tcStart"))
    ctx = _Ctx(Fraction(0), origin, (Fraction(-(10**9)), Fraction(10**9)))
    walker = _Walker(resources)
    placed = list(walker.spine(spine, ctx))
    story = [_pick(e) if e.tag == "audition" else e for e in spine if e.tag in _STORY]
    ends = [
        ctx.at(fcpxml_time(e.get("offset")) + fcpxml_time(e.get("duration")))
        for e in story
        if e is not None
    ]
    return placed, max(ends, default=Fraction(0))


class _Walker:
    def __init__(self, resources: dict[str, ET.Element]) -> None:
        self.resources = resources

    def spine(self, spine: ET.Element, ctx: _Ctx) -> Iterator[tuple[Clip, Span]]:
        for elem in spine:
            if elem.tag in _STORY and _enabled(elem):
                yield from self.story(elem, ctx)

    def story(self, elem: ET.Element, ctx: _Ctx) -> Iterator[tuple[Clip, Span]]:
        lane = int(elem.get("lane", "0"))
        ctx = replace(ctx, lanes=(*ctx.lanes, lane))
        if len(ctx.lanes) > _DEEPEST:
            raise ValueError(f"clips nested more than {_DEEPEST} deep (a compound clip loop?)")
        start_s = ctx.at(fcpxml_time(elem.get("offset")))
        if elem.tag == "spine":  # a secondary storyline: its local time starts at 0
            yield from self.spine(elem, replace(ctx, base=start_s, start=Fraction(0)))
            return
        if elem.tag == "audition":
            pick = _pick(elem)
            yield from self.story(pick, ctx) if pick is not None else ()
            return
        end_s = start_s + fcpxml_time(elem.get("duration"))
        own = replace(ctx, base=start_s, start=self._start(elem))
        inside = replace(own, window=(max(ctx.window[0], start_s), min(ctx.window[1], end_s)))
        if elem.tag in _MEDIA or (elem.tag == "clip" and self._plain(elem)):
            yield from self._emit(elem, ctx, start_s, end_s)
        elif elem.tag in _CONTAINERS:
            yield from self._contents(elem, inside)
        for child in elem:  # connected clips, and storylines on lanes
            if child.tag in _STORY and "lane" in child.attrib and _enabled(child):
                yield from self.story(child, replace(own, lanes=ctx.lanes))

    def _start(self, elem: ET.Element) -> Fraction:
        """Where an element's local time starts: its ``start``, else where its media starts (a
        compound clip's ``tcStart``, an asset's ``start``), else 0."""
        if "start" in elem.attrib:
            return fcpxml_time(elem.get("start"))
        media = self.resources.get(elem.get("ref", ""))
        if media is None:
            return Fraction(0)
        inner = media.find("sequence") if media.tag == "media" else None
        inner = media.find("multicam") if inner is None and media.tag == "media" else inner
        if inner is not None:
            return fcpxml_time(inner.get("tcStart"))
        return fcpxml_time(media.get("start")) if media.tag == "asset" else Fraction(0)

    def _plain(self, clip: ET.Element) -> bool:
        """A ``clip`` that only wraps one media element: how Final Cut writes a file's clip."""
        return self._media_element(clip) is not None

    def _media_element(self, elem: ET.Element) -> ET.Element | None:
        """The media element of a ``clip``: its one story child, or the one item on its one gap
        (``clip > gap > audio``, the shape of expanded audio in otio-fcpx-xml-adapter's
        tests/sample_data/fcpx_example.fcpxml)."""
        if elem.tag != "clip":
            return elem
        inner = [c for c in elem if c.tag in _STORY and "lane" not in c.attrib]
        if len(inner) == 1 and inner[0].tag == "gap":
            inner = [c for c in inner[0] if c.tag in _STORY]
        one = len(inner) == 1 and inner[0].tag in ("video", "audio", "asset-clip")
        return inner[0] if one else None

    def _contents(self, elem: ET.Element, ctx: _Ctx) -> Iterator[tuple[Clip, Span]]:
        if elem.tag == "ref-clip":
            media = self.resources.get(elem.get("ref", ""))
            sequence = media.find("sequence") if media is not None else None
            spine = sequence.find("spine") if sequence is not None else None
            only = _ONLY.get(elem.get("srcEnable", "all")) or ctx.only
            if spine is not None and ctx.only in (None, only):
                yield from self.spine(spine, replace(ctx, only=only))
        elif elem.tag == "mc-clip":
            yield from self._angles(elem, ctx)
        else:  # clip, sync-clip: their own story elements, in their local time
            for child in elem:
                if child.tag in _STORY and "lane" not in child.attrib and _enabled(child):
                    yield from self.story(child, ctx)

    def _angles(self, elem: ET.Element, ctx: _Ctx) -> Iterator[tuple[Clip, Span]]:
        media = self.resources.get(elem.get("ref", ""))
        multicam = media.find("multicam") if media is not None else None
        if multicam is None:
            return
        angles = {a.get("angleID"): a for a in multicam.iter("mc-angle")}
        sources = {s.get("srcEnable", "all"): s.get("angleID") for s in elem.iter("mc-source")}
        video = sources.get("video") or sources.get("all")
        audio = sources.get("audio") or sources.get("all")
        picks: tuple[tuple[str | None, ClipKind], ...] = ((video, "picture"), (audio, "audio"))
        for angle_id, only in picks:
            angle = angles.get(angle_id)
            if angle is not None and ctx.only in (None, only):
                yield from self.spine(angle, replace(ctx, only=only))

    def _emit(
        self, elem: ET.Element, ctx: _Ctx, start_s: Fraction, end_s: Fraction
    ) -> Iterator[tuple[Clip, Span]]:
        media = self._media_element(elem)
        resource = self.resources.get(media.get("ref", "")) if media is not None else None
        kind = self._kind(elem, media, resource)
        if ctx.only == "audio" and kind == "picture":  # a compound or angle used for its sound
            heard = media is not None and media.tag == "asset-clip"
            if not (heard and resource is not None and resource.get("hasAudio") == "1"):
                return
            kind = "audio"
        if ctx.only is not None and kind != ctx.only:
            return
        url = _media_url(resource)
        name = elem.get("name") or (resource.get("name") if resource is not None else None)
        media_name = basename(url) if url else None
        name = name or media_name or f"{kind}@{float(start_s):g}s"
        markers = [m.get("value", "") for m in elem if m.tag in ("marker", "chapter-marker")]
        shot_id = next((f for t in (name, media_name, *markers) if (f := shot_id_in(t))), name)
        top = ctx.lanes[1] if len(ctx.lanes) > 1 else 0  # the lane it hangs from in the cut
        track = (-top if top < 0 else top + 1) if kind == "audio" else top + 1
        clip = Clip(
            name=name,
            media_name=media_name,
            media_url=url,
            kind=kind,
            track=track,
            record_in_s=float(start_s),
            duration_s=float(end_s - start_s),
            shot_id=shot_id,
        )
        seen = (max(ctx.window[0], start_s), min(ctx.window[1], end_s))
        yield clip, Span(float(seen[0]), float(seen[1]), (int(url is not None), *ctx.lanes))

    def _kind(
        self, elem: ET.Element, media: ET.Element | None, resource: ET.Element | None
    ) -> ClipKind:
        tag = media.tag if media is not None else elem.tag
        enabled = {elem.get("srcEnable"), media.get("srcEnable") if media is not None else None}
        if tag == "audio" or "audio" in enabled:
            return "audio"
        if tag == "asset-clip" and resource is not None and resource.get("hasVideo") != "1":
            return "audio"
        return "picture"


def _pick(audition: ET.Element) -> ET.Element | None:
    """An audition's active pick (its first child), placed where the audition is: Final Cut
    writes the ``offset`` on the audition (DAWFileKit's AuditionMarkers.fcpxml export)."""
    pick = next((child for child in audition if child.tag in _STORY), None)
    if pick is None or "offset" in pick.attrib:
        return pick
    placed = copy(pick)  # shallow: the pick's children are shared, only its attributes differ
    placed.set("offset", audition.get("offset", "0s"))
    return placed


def _enabled(elem: ET.Element) -> bool:
    return elem.get("enabled", "1") != "0"


def _media_url(resource: ET.Element | None) -> str | None:
    """The media file of an asset (``media-rep`` original, else ``src``); None for effects."""
    if resource is None or resource.tag != "asset":
        return None
    reps = list(resource.iter("media-rep"))
    original = [rep for rep in reps if rep.get("kind", "original-media") == "original-media"]
    for rep in original or reps:
        if rep.get("src"):
            return rep.get("src")
    return resource.get("src")
