"""Premiere/FCP7 xmeml at NTSC rates, OTIO files as DaVinci Resolve writes them, Avid AAF.

Shapes: xmeml ``<rate><timebase>24</timebase><ntsc>TRUE</ntsc></rate>`` for 23.976 (the form in
AcademySoftwareFoundation/OpenTimelineIO issue #334, and in otio-fcp-adapter
tests/sample_data/premiere_example.xml, in ../shared, at 30 fps); Resolve's OTIO export keeps
the rate as a float (23.976023976023978), starts the timeline at 01:00:00:00 through
``global_start_time``, writes ``Clip.2`` with ``media_references``/``DEFAULT_MEDIA``, ``"color":
null`` and "Resolve Effect" effects, and a generator with ``"media_references": {}`` (shapes
described and tested in public code using Resolve's native OTIO, e.g. a Rust test of
``Clip.2``/``Resolve_OTIO`` effects found with the code search); the AAF is written here with
pyaaf2 the way Media Composer lays a sequence out: a CompositionMob whose timeline slot holds a
Sequence of SourceClips (into MasterMobs whose SourceMob locates the media) and Fillers.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from audit.base.errors import TimelineError
from audit.base.rates import parse_rate
from audit.link.stated import misplaced
from audit.link.timeline import read_timeline_file


def _clipitem(index: int, name: str, start: int, end: int, ntsc: str) -> str:
    return f"""
          <clipitem id="clipitem-{index}">
            <name>{name}</name>
            <enabled>TRUE</enabled>
            <duration>1000</duration>
            <rate><timebase>24</timebase><ntsc>{ntsc}</ntsc></rate>
            <start>{start}</start><end>{end}</end><in>0</in><out>{end - start}</out>
            <file id="file-{index}">
              <name>{name}</name>
              <pathurl>file://localhost/D%3a/media/{name}</pathurl>
              <rate><timebase>24</timebase><ntsc>{ntsc}</ntsc></rate>
              <duration>1000</duration>
            </file>
          </clipitem>"""


def _xmeml(duration: int, ntsc: str = "TRUE") -> str:
    clips = _clipitem(1, "SC01_SH010_kling_850040034508220400.mp4", 0, 48, ntsc)
    clips += _clipitem(2, "SC01_SH020_runway.mp4", 48, 120, ntsc)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xmeml>
<xmeml version="4">
  <sequence id="sequence-1">
    <name>Montage 23.976</name>
    <duration>{duration}</duration>
    <rate><timebase>24</timebase><ntsc>{ntsc}</ntsc></rate>
    <media>
      <video>
        <track>{clips}
        </track>
      </video>
    </media>
  </sequence>
</xmeml>
"""


def test_xmeml_ntsc_is_23976(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text(_xmeml(120), encoding="utf-8")
    timeline = read_timeline_file(path, frame_rate="23.98")
    assert timeline.rate == pytest.approx(24000 / 1001)
    assert timeline.duration_s == pytest.approx(120 * 1001 / 24000)
    assert [round(s.duration_s * 24000 / 1001) for s in timeline.shots] == [48, 72]
    assert timeline.note == ""
    # the file's own rate wins over production.yaml's, which is only said to differ
    declared_25 = read_timeline_file(path, frame_rate=25)
    assert declared_25.rate == pytest.approx(24000 / 1001)
    assert declared_25.note == "the file states 23.976 fps (frame_rate 25 is for EDLs)"


def test_xmeml_duration_disagreeing_is_warned(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text(_xmeml(240), encoding="utf-8")
    timeline = read_timeline_file(path, frame_rate=25)
    assert (
        "warning: the clips read end at 5.005 s but the file's sequence duration is 10.010 s"
        in (timeline.note)
    )


def _resolve_otio() -> dict[str, object]:
    rate = 24000 / 1001  # Resolve writes the float

    def time(value: float) -> dict[str, object]:
        return {"OTIO_SCHEMA": "RationalTime.1", "rate": rate, "value": value}

    def clip(name: str, start: float, frames: float) -> dict[str, object]:
        return {
            "OTIO_SCHEMA": "Clip.2",
            "name": name,
            "source_range": {
                "OTIO_SCHEMA": "TimeRange.1",
                "start_time": time(start),
                "duration": time(frames),
            },
            "media_references": {
                "DEFAULT_MEDIA": {
                    "OTIO_SCHEMA": "ExternalReference.1",
                    "target_url": f"/Volumes/Media/{name}",
                    "available_range": None,
                    "metadata": {},
                    "name": name,
                }
            },
            "active_media_reference_key": "DEFAULT_MEDIA",
            "metadata": {"Resolve_OTIO": {}},
            "markers": [],
            "effects": [],
            "enabled": True,
            "color": None,
        }

    title = clip("Text+ Fin", 0, 24)
    title.update(media_references={}, active_media_reference_key=None)
    title["effects"] = [
        {
            "OTIO_SCHEMA": "Effect.1",
            "name": "",
            "effect_name": "Resolve Effect",
            "metadata": {"Resolve_OTIO": {"Effect Name": "Transform", "Parameters": []}},
        }
    ]
    gap = {
        "OTIO_SCHEMA": "Gap.1",
        "name": "",
        "source_range": {
            "OTIO_SCHEMA": "TimeRange.1",
            "start_time": time(0),
            "duration": time(24),
        },
        "metadata": {},
        "markers": [],
        "effects": [],
        "enabled": True,
    }
    track = {
        "OTIO_SCHEMA": "Track.1",
        "name": "Video 1",
        "kind": "Video",
        "children": [
            clip("SC01_SH010_kling_850040034508220400.mp4", 86400, 48),
            gap,
            clip("SC01_SH020_still.png", 0, 72),
            title,
        ],
        "source_range": None,
        "metadata": {},
        "markers": [],
        "effects": [],
        "enabled": True,
    }
    return {
        "OTIO_SCHEMA": "Timeline.1",
        "name": "Timeline 1",
        "global_start_time": time(86400),
        "tracks": {
            "OTIO_SCHEMA": "Stack.1",
            "name": "",
            "children": [track],
            "source_range": None,
            "metadata": {},
            "markers": [],
            "effects": [],
            "enabled": True,
        },
        "metadata": {"Resolve_OTIO": {"Resolve OTIO Meta Version": "1.0"}},
    }


def test_otio_written_by_resolve(tmp_path: Path) -> None:
    path = tmp_path / "Timeline 1.otio"
    path.write_text(json.dumps(_resolve_otio()), encoding="utf-8")
    timeline = read_timeline_file(path, frame_rate=25)
    assert timeline.rate == pytest.approx(24000 / 1001)
    assert Fraction(timeline.rate).limit_denominator(1001) == Fraction(24000, 1001)
    assert timeline.duration_s == pytest.approx(168 * 1001 / 24000)
    assert [c.media_name for c in timeline.clips] == [
        "SC01_SH010_kling_850040034508220400.mp4",
        "SC01_SH020_still.png",
        None,  # a Text+ title: Resolve writes it with no media reference
    ]
    assert timeline.gap_s == pytest.approx(24 * 1001 / 24000)


def _write_aaf(path: Path, rate: Fraction) -> None:
    aaf2 = pytest.importorskip("aaf2")
    with aaf2.open(str(path), "w") as f:
        composition = f.create.CompositionMob("Reel 1")
        f.content.mobs.append(composition)
        sequence = f.create.Sequence(media_kind="picture")
        composition.create_timeline_slot(edit_rate=rate).segment = sequence
        for name, frames in (("SC01_SH010_kling_850040034508220400.mov", 48), (None, 12),
                             ("SC01_SH020_still.png", 36)):  # fmt: skip
            if name is None:
                sequence.components.append(f.create.Filler("picture", frames))
                continue
            master, source = f.create.MasterMob(name), f.create.SourceMob()
            descriptor = f.create.ImportDescriptor()
            locator = f.create.NetworkLocator()
            locator["URLString"].value = f"file:///Volumes/Media/{name}"
            descriptor["Locator"].append(locator)
            source.descriptor = descriptor
            f.content.mobs.extend([master, source])
            source_slot = source.create_empty_sequence_slot(rate, media_kind="picture")
            source_slot.segment.components.append(
                f.create.SourceClip(media_kind="picture", length=1000)
            )
            master_slot = master.create_timeline_slot(rate)
            master_slot.segment = source.create_source_clip(
                slot_id=source_slot.slot_id, length=1000, media_kind="picture"
            )
            sequence.components.append(
                master.create_source_clip(
                    slot_id=master_slot.slot_id, start=10, length=frames, media_kind="picture"
                )
            )


def test_avid_aaf_at_23976(tmp_path: Path) -> None:
    path = tmp_path / "Reel 1.aaf"
    _write_aaf(path, Fraction(24000, 1001))
    timeline = read_timeline_file(path, frame_rate=25)
    assert timeline.adapter == "AAF"
    assert timeline.name == "Reel 1"
    assert timeline.rate == pytest.approx(24000 / 1001)
    # the adapter rounds the rate to 23.976; times are made exact again (96 frames = 4.004 s)
    assert timeline.duration_s == pytest.approx(96 * 1001 / 24000, rel=1e-12)
    assert [(c.media_name, c.record_in_s, c.duration_s) for c in timeline.clips] == [
        ("SC01_SH010_kling_850040034508220400.mov", 0.0, pytest.approx(48 * 1001 / 24000)),
        (
            "SC01_SH020_still.png",
            pytest.approx(60 * 1001 / 24000),
            pytest.approx(36 * 1001 / 24000),
        ),
    ]


def test_unreadable_aaf_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "cut.aaf"
    path.write_bytes(b"not a compound file")
    with pytest.raises(TimelineError) as caught:
        read_timeline_file(path, frame_rate=25, display="timeline/cut.aaf")
    assert caught.value.exit_code == 2
    assert str(caught.value).startswith("timeline/cut.aaf: cannot read as AAF: ")
    assert "\n" not in str(caught.value)


def test_clips_not_where_the_xmeml_places_them_are_warned() -> None:
    rate = parse_rate("23.976")
    frame = Fraction(1001, 24000)
    stated = [("a.mp4", 0 * frame, 48 * frame), ("b.mp4", 48 * frame, 120 * frame)]
    exact = [("a.mp4", 0.0, float(48 * frame)), ("b.mp4", float(48 * frame), float(120 * frame))]
    assert misplaced(stated, exact, rate) == ""
    shifted = [exact[0], ("b.mp4", float(50 * frame), float(122 * frame))]
    assert misplaced(stated, shifted, rate) == (
        "warning: 1 of 2 clips are not read where the file places them (first: 'b.mp4' at 2.002 s)"
    )
