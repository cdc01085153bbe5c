"""Reading the final cut: every shared timeline fixture, checked against OpenTimelineIO itself."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

from audit.base.errors import TimelineError
from audit.base.production import Production
from audit.link.timeline import find_timeline_file, read_timeline, read_timeline_file

pytestmark = pytest.mark.shared

# (file, rate passed, OTIO reference file, OTIO kwargs, clips, picture clips)
CASES = [
    ("simple_cut.otio", 24, "simple_cut.otio", {}, 4, 4),
    # OTIO 0.18 cannot read this file by itself (Marker.3); it is the same cut as the xmeml.
    ("premiere_example.otio", 24, "premiere_example.xml", {}, 13, 7),
    ("avid_example.edl", 24, "avid_example.edl", {"rate": 24}, 2, 2),
    ("premiere_example.edl", 24, "premiere_example.edl", {"rate": 24}, 2, 2),
    ("25fps.edl", 25, "25fps.edl", {"rate": 25}, 4, 4),
    ("premiere_example.xml", 24, "premiere_example.xml", {}, 13, 7),
]


def _otio_clips(path: Path, kwargs: dict[str, Any]) -> list[tuple[str, float]]:
    loaded = otio.adapters.read_from_file(str(path), **kwargs)
    timeline = loaded if isinstance(loaded, otio.schema.Timeline) else next(iter(loaded))
    return sorted(
        (clip.name, round(clip.trimmed_range().duration.to_seconds(), 6))
        for clip in timeline.find_clips()
    )


@pytest.mark.parametrize(("name", "rate", "reference", "kwargs", "count", "picture"), CASES)
def test_clips_match_opentimelineio(
    timelines_dir: Path,
    name: str,
    rate: int,
    reference: str,
    kwargs: dict[str, Any],
    count: int,
    picture: int,
) -> None:
    timeline = read_timeline_file(timelines_dir / name, frame_rate=rate)
    ours = sorted((c.name, round(c.duration_s, 6)) for c in timeline.clips)
    assert len(ours) == count
    assert ours == _otio_clips(timelines_dir / reference, kwargs)
    assert sum(1 for c in timeline.clips if c.kind == "picture") == picture
    assert len(timeline.audio) == count - picture


def test_edl_at_the_wrong_rate_says_how_to_fix(timelines_dir: Path) -> None:
    with pytest.raises(TimelineError) as caught:
        read_timeline_file(timelines_dir / "25fps.edl", frame_rate=24, display="timeline/25fps.edl")
    assert str(caught.value) == (
        "timeline/25fps.edl: frame_rate 24 does not fit this EDL (frame 24 seen in "
        "01:00:01:24); it reads at 25 — set frame_rate in production.yaml"
    )


def test_edl_at_25_fps(timelines_dir: Path) -> None:
    timeline = read_timeline_file(timelines_dir / "25fps.edl", frame_rate=25)
    assert timeline.rate == 25
    assert timeline.adapter == "cmx_3600"
    assert timeline.duration_s == pytest.approx(19.84)
    assert [(s.shot_id, s.sequence) for s in timeline.shots] == [
        ("SC01_SH001", "SC01"),
        ("SC01_SH002", "SC01"),
        ("SC01_SH003", "SC01"),
        ("SC01_SH004", "SC01"),
    ]
    assert [s.duration_s for s in timeline.shots] == pytest.approx([6.44, 8.0, 3.44, 1.96])
    assert [s.record_in_s for s in timeline.shots] == pytest.approx([0.0, 6.44, 14.44, 17.88])
    assert "25 fps" in timeline.note


def test_fcpxml_collection_picks_the_longest_and_says_so(timelines_dir: Path) -> None:
    timeline = read_timeline_file(timelines_dir / "fcpx_example.fcpxml", frame_rate=25)
    assert timeline.name == "OpenTimeline_Project"
    assert timeline.rate == 30
    assert "holds 2 timelines" in timeline.note
    assert "using 'OpenTimeline_Project', the longest" in timeline.note
    # compound clips are descended into: the 16 picture clips a deep find_clips() finds on
    # video tracks; sound: each audio element, and the asset-clips of the compound clip used
    # for its sound only (srcEnable="audio")
    picture = [c for c in timeline.clips if c.kind == "picture"]
    assert len(picture) == 16
    assert len(timeline.audio) == 11
    assert all(c.duration_s == pytest.approx(10.0) for c in timeline.audio if c.record_in_s != 115)


def test_fcpxml_named_timeline_and_unknown_name(timelines_dir: Path) -> None:
    path = timelines_dir / "fcpx_example.fcpxml"
    named = read_timeline_file(path, frame_rate=30, timeline_name="OpenTimeline_Project 1")
    assert named.name == "OpenTimeline_Project 1"
    assert named.note == "using timeline 'OpenTimeline_Project 1' (production.yaml timeline)"
    with pytest.raises(
        TimelineError, match="allowed: OpenTimeline_Project, OpenTimeline_Project 1"
    ):
        read_timeline_file(path, frame_rate=25, timeline_name="Montage final")


def test_fcpxml_screen_time_through_compound_clips(timelines_dir: Path) -> None:
    # Hand-computed from the file: the compound clip at 80 s shows its own 3.633..33.633 s, so
    # IMG_0233 is seen 80..86.367 and IMG_0268 96.367..106.367; the one at 140 s shows 1.9..11.9.
    timeline = read_timeline_file(timelines_dir / "fcpx_example.fcpxml", frame_rate=25)
    shots = {s.shot_id: s.duration_s for s in timeline.shots}
    assert shots == pytest.approx(
        {
            "IMG_0715": 10.0,
            "IMG_0513": 10.0,
            "IMG_0268": 9.5 + 10.0 + 10.0,
            "IMG_0740": 64.5667 - 59.5,
            "IMG_0857": 10.0,
            "IMG_0233": (10 - 3.6333) + 10.0 + 8.1,
            "IMG_0687": 10.0,
            "IMG_0858": 0.0,
        },
        abs=1e-3,
    )
    assert timeline.duration_s == pytest.approx(150.0)
    assert sum(shots.values()) == pytest.approx(99.0333, abs=1e-3)
    assert timeline.gap_s == pytest.approx(150.0 - 99.0333, abs=1e-3)


def test_premiere_xml_layers_titles_and_gaps(timelines_dir: Path) -> None:
    timeline = read_timeline_file(timelines_dir / "premiere_example.xml", frame_rate=25)
    assert timeline.adapter == "fcp_xml"
    assert timeline.rate == 30
    assert timeline.duration_s == pytest.approx(1246 / 30)  # end of V4
    shots = {s.shot_id: s.duration_s for s in timeline.shots}
    # the higher track is seen; a title generator only where no media clip is
    assert shots == pytest.approx(
        {
            "SC01_SH010": (100 + 79 + 82) / 30,
            "SC01_SH020": 157 / 30,
            "SC01_SH030": (235 + 208) / 30,
            "test_title": (52 + 320) / 30,
        }
    )
    assert timeline.gap_s == pytest.approx(13 / 30)  # black before the first clip
    # the sample's own <duration> (636 frames) is not where its clips end: said, not trusted
    assert "the file's sequence duration is 21.200 s (+635 frames at 30 fps)" in timeline.note
    assert sum(shots.values()) == pytest.approx(timeline.duration_s - 13 / 30)
    media = {c.media_name: c.media_url for c in timeline.clips}
    assert media["sc01_sh020_anim.mov"] == "file://localhost/D%3a/media/sc01_sh020_anim.mov"
    title = next(c for c in timeline.clips if c.name == "test_title")
    assert (title.media_name, title.media_url, title.track) == (None, None, 3)


@pytest.mark.parametrize(
    ("name", "rate"),
    [
        ("simple_cut.otio", 24),
        ("avid_example.edl", 24),
        ("premiere_example.edl", 24),
        ("25fps.edl", 25),
    ],
)
def test_single_track_cuts_have_no_gaps(timelines_dir: Path, name: str, rate: int) -> None:
    timeline = read_timeline_file(timelines_dir / name, frame_rate=rate)
    reference = otio.adapters.read_from_file(
        str(timelines_dir / name), **({"rate": rate} if name.endswith(".edl") else {})
    )
    assert timeline.duration_s == pytest.approx(reference.duration().to_seconds())
    assert sum(s.duration_s for s in timeline.shots) == pytest.approx(timeline.duration_s)
    assert timeline.gap_s == pytest.approx(0.0)


def test_windows_paths_give_media_names(timelines_dir: Path) -> None:
    timeline = read_timeline_file(timelines_dir / "avid_example.edl", frame_rate=24)
    assert [(c.name, c.media_name) for c in timeline.clips] == [
        ("take_1", "ZZ100_501.take_1.0001.exr"),
        ("take_2", "ZZ100_502A.take_2.0101.exr"),
    ]
    assert [s.shot_id for s in timeline.shots] == ["take_1", "take_2"]


def _folder(tmp_path: Path, *files: Path) -> Path:
    (tmp_path / "timeline").mkdir()
    for file in files:
        shutil.copy(file, tmp_path / "timeline" / file.name)
    return tmp_path


def test_read_timeline_from_a_production_folder(
    timelines_dir: Path, tmp_path: Path, production: Production
) -> None:
    folder = _folder(tmp_path, timelines_dir / "25fps.edl")
    timeline = read_timeline(folder, production)  # production frame_rate is 25
    assert timeline.path == "timeline/25fps.edl"
    assert len(timeline.shots) == 4
    with pytest.raises(TimelineError, match=r"^timeline/25fps.edl: --rate 24 does not fit"):
        read_timeline(folder, production, rate=24)


def test_several_timeline_files(
    timelines_dir: Path, tmp_path: Path, production: Production
) -> None:
    folder = _folder(tmp_path, timelines_dir / "simple_cut.otio", timelines_dir / "25fps.edl")
    with pytest.raises(TimelineError) as caught:
        read_timeline(folder, production)
    assert "2 timeline files" in str(caught.value)
    assert "allowed: 25fps.edl, simple_cut.otio" in str(caught.value)
    chosen = production.model_copy(update={"timeline": "simple_cut"})
    assert find_timeline_file(folder, chosen.timeline).name == "simple_cut.otio"
    assert read_timeline(folder, chosen).name == "Figure 1 - Simple Cut List"


def test_no_timeline_file(tmp_path: Path, production: Production) -> None:
    with pytest.raises(TimelineError, match="no timeline file"):
        read_timeline(tmp_path, production)


def test_unreadable_timeline(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text("<xmeml version='4'><nothing/></xmeml>", encoding="utf-8")
    with pytest.raises(TimelineError, match=r"^cut.xml: cannot read as fcp_xml: "):
        read_timeline_file(path, frame_rate=25, display="cut.xml")
