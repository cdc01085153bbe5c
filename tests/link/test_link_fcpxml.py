"""Final Cut Pro XML read with exact rational time: the real 24p project, and written projects.

Written documents are shaped like real exports: a still as ``<video ref>`` to an asset whose
format has no ``frameDuration`` and whose duration is ``0s`` (TheAcharya/OpenFCPXMLKit
Tests/FCPXML Samples/FCPXML/ImageSample.fcpxml, FCPXML 1.13); a primary storyline starting at
``tcStart="3600s"`` with its first ``offset="3600/1s"`` (DaVinci Resolve's export, described in
RollaEditor/rolla dev/fcpxml-doc.md); ``clip > gap > audio`` for a file's sound, compound
``ref-clip`` with ``srcEnable`` and connected ``spine lane`` (otio-fcpx-xml-adapter
tests/sample_data/fcpx_example.fcpxml, in ../shared); transitions overlapping the cut and
``conform-rate`` (the real OpenFCPXMLKit 24p project, in ../shared).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from audit.base.errors import TimelineError
from audit.base.production import Production
from audit.link.timeline import find_timeline_file, read_timeline, read_timeline_file

REALWORLD = Path(__file__).resolve().parents[2].parent / "shared/fixtures/realworld/timelines"


@pytest.fixture
def realworld() -> Path:
    if not REALWORLD.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{REALWORLD} is missing and CI=true")
        pytest.skip(f"shared real-world fixtures not found at {REALWORLD}")
    return REALWORLD


def test_real_24p_project_has_its_true_rate_and_length(realworld: Path) -> None:
    timeline = read_timeline_file(realworld / "openfcpxmlkit_24.fcpxml", frame_rate=25)
    assert timeline.adapter == "fcpx_xml"
    assert timeline.name == "24_V1"
    assert timeline.rate == 24  # frameDuration 100/2400s (OTIO's adapter reads 29)
    assert timeline.duration_s == pytest.approx(631100 / 2400)  # 262.958 s, as the file says
    assert "warning" not in timeline.note
    # every clip: 20 asset-clips of the project, and one in each of the two compound clips
    clips = timeline.clips
    assert len(clips) == 22
    assert {c.media_name for c in clips} == {"TestVideo.mp4", "TestVideo2.mp4"}
    first, second = sorted(clips, key=lambda c: c.record_in_s)[:2]
    assert (first.record_in_s, first.duration_s) == pytest.approx((0.0, 760 / 24))
    assert second.record_in_s == pytest.approx(76000 / 2400)
    # a clip in a secondary storyline: 298000/2400 + (571571/3000 − 67067/375) s into the cut
    lane = [c for c in clips if c.track == 2]
    assert min(c.record_in_s for c in lane) == pytest.approx(
        298000 / 2400 + 571571 / 3000 - 67067 / 375
    )
    assert timeline.gap_s == pytest.approx(400 / 2400)  # the one gap of the primary storyline


HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n'


def _project(version: str, frame: str, spine: str, duration: str, extra: str = "") -> str:
    return f"""{HEADER}<fcpxml version="{version}">
  <resources>
    <format id="r1" name="FFVideoFormat1080p" frameDuration="{frame}" width="1920" height="1080"/>
    <format id="r3" name="FFVideoFormatRateUndefined" width="1280" height="720"/>
    <asset id="r2" name="SC01_SH010_kling_850040034508220400" start="0s" duration="24024/24000s"
           hasVideo="1" hasAudio="1" format="r1">
      <media-rep kind="original-media" src="file:///Media/SC01_SH010_kling_850040034508220400.mp4"/>
    </asset>
    <asset id="r4" name="SC01_SH020_still" start="0s" duration="0s" hasVideo="1" format="r3">
      <media-rep kind="original-media" src="file:///Media/Stills/SC01_SH020_still.png"/>
    </asset>
    <asset id="r5" name="suno_theme" start="0s" duration="120s" hasAudio="1" audioRate="48000">
      <media-rep kind="original-media" src="file:///Media/suno_theme.mp3"/>
    </asset>
    <effect id="r6" name="Basic Title" uid=".../Titles.localized/Basic Text.localized/Basic Title.localized/Basic Title.moti"/>
    <effect id="r7" name="Cross Dissolve" uid="FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265"/>
    {extra}
  </resources>
  <library>
    <event name="Event">
      <project name="Montage">
        <sequence format="r1" duration="{duration}" tcStart="3600s" tcFormat="NDF">
          <spine>
{spine}
          </spine>
        </sequence>
      </project>
    </event>
  </library>
</fcpxml>
"""


def _write(tmp_path: Path, text: str, name: str = "cut.fcpxml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_23976_project_with_a_still_a_title_and_music(tmp_path: Path) -> None:
    # 23.976: 48 frames of video, 72 of a still (no frameDuration), 24 of a title over a gap;
    # music connected below the first clip
    spine = """
            <asset-clip ref="r2" offset="3600s" name="SC01_SH010" duration="48048/24000s">
              <asset-clip ref="r5" lane="-1" offset="0s" name="Theme" duration="144144/24000s"
                          srcEnable="audio"/>
            </asset-clip>
            <transition name="Cross Dissolve" offset="86436036/24000s" duration="24024/24000s">
              <filter-video ref="r7" name="Cross Dissolve"/>
            </transition>
            <video ref="r4" offset="86448048/24000s" name="SC01_SH020_still"
                   start="86399313/24000s" duration="72072/24000s"/>
            <gap name="Gap" offset="86520120/24000s" start="3600s" duration="24024/24000s">
              <title ref="r6" lane="1" offset="3600s" name="Fin" duration="24024/24000s"/>
            </gap>"""
    path = _write(tmp_path, _project("1.13", "1001/24000s", spine, "144144/24000s"))
    timeline = read_timeline_file(path, frame_rate=25)
    assert timeline.rate == pytest.approx(24000 / 1001)
    assert timeline.duration_s == pytest.approx(144 * 1001 / 24000)
    assert "warning" not in timeline.note
    frame = 1001 / 24000
    shots = [(s.shot_id, s.record_in_s, s.duration_s) for s in timeline.shots]
    assert [s[0] for s in shots] == ["SC01_SH010", "SC01_SH020", "Fin"]
    assert [s[1:] for s in shots] == [
        pytest.approx(pair)
        for pair in [(0.0, 48 * frame), (48 * frame, 72 * frame), (120 * frame, 24 * frame)]
    ]
    still = next(c for c in timeline.clips if c.shot_id == "SC01_SH020")
    assert still.media_name == "SC01_SH020_still.png"
    title = next(c for c in timeline.clips if c.name == "Fin")
    assert (title.media_name, title.track) == (None, 2)
    (music,) = timeline.audio
    assert (music.media_name, music.track) == ("suno_theme.mp3", 1)
    assert music.duration_s == pytest.approx(144 * frame)


def test_2997_compound_multicam_sync_and_audition(tmp_path: Path) -> None:
    extra = """
    <media id="r8" name="Compound">
      <sequence format="r1" duration="90090/30000s" tcStart="0s">
        <spine>
          <asset-clip ref="r2" offset="0s" name="inner_a" duration="30030/30000s"/>
          <video ref="r4" offset="30030/30000s" name="SC02_SH010_still" duration="60060/30000s"/>
        </spine>
      </sequence>
    </media>
    <media id="r9" name="Multicam">
      <multicam format="r1" tcStart="0s">
        <mc-angle name="Cam A" angleID="A">
          <asset-clip ref="r2" offset="0s" name="cam_a" duration="300300/30000s"/>
        </mc-angle>
        <mc-angle name="Cam B" angleID="B">
          <video ref="r4" offset="0s" name="SC03_SH010_cam_b" duration="300300/30000s"/>
        </mc-angle>
      </multicam>
    </media>"""
    spine = """
            <ref-clip ref="r8" offset="3600s" name="Compound" start="30030/30000s"
                      duration="30030/30000s"/>
            <mc-clip ref="r9" offset="108030030/30000s" name="Multicam" start="30030/30000s"
                     duration="60060/30000s">
              <mc-source angleID="B" srcEnable="video"/>
              <mc-source angleID="A" srcEnable="audio"/>
            </mc-clip>
            <sync-clip offset="108090090/30000s" name="SC04_SH010 sync" duration="30030/30000s">
              <asset-clip ref="r2" offset="0s" name="SC04_SH010" duration="30030/30000s"/>
            </sync-clip>
            <audition offset="108120120/30000s">
              <asset-clip ref="r2" offset="108120120/30000s" name="SC05_SH010_pick"
                          duration="30030/30000s"/>
              <asset-clip ref="r2" offset="108120120/30000s" name="SC05_SH010_alt"
                          duration="30030/30000s"/>
            </audition>
            <asset-clip ref="r2" offset="108150150/30000s" name="SC06_SH010" enabled="0"
                        duration="30030/30000s"/>"""
    # the file says 5 s (150 frames) but its storyline lasts 6 s: warned, not trusted
    text = _project("1.9", "1001/30000s", spine, "150150/30000s", extra)
    timeline = read_timeline_file(_write(tmp_path, text), frame_rate=25)
    assert timeline.rate == pytest.approx(30000 / 1001)
    second = 1001 / 1000
    shots = [(s.shot_id, s.record_in_s, s.duration_s) for s in timeline.shots]
    assert [s[0] for s in shots] == [
        "SC01_SH010",  # inner_a (id from its media): before the compound's window, never seen
        "SC02_SH010",
        "SC03_SH010",
        "SC04_SH010",
        "SC05_SH010",
    ]
    assert [s[1:] for s in shots] == [
        pytest.approx(pair)
        for pair in [
            (-second, 0.0),
            (0.0, second),
            (second, 2 * second),
            (3 * second, second),
            (4 * second, second),
        ]
    ]
    assert [c.name for c in timeline.audio] == ["cam_a"]
    assert "SC06_SH010" not in {c.shot_id for c in timeline.clips}  # disabled
    # a disabled clip is black but still takes its place in the storyline
    assert timeline.duration_s == pytest.approx(6 * second)
    assert timeline.gap_s == pytest.approx(second)
    assert (
        "warning: the clips read end at 6.006 s but the file's sequence duration is 5.005 s "
        "(+30 frames at 29.97 fps)"
    ) in timeline.note


def test_stated_duration_disagreeing_is_warned(tmp_path: Path) -> None:
    spine = '<asset-clip ref="r2" offset="3600s" name="SC01_SH010" duration="2s"/>'
    timeline = read_timeline_file(
        _write(tmp_path, _project("1.10", "100/2500s", spine, "3s")), frame_rate=25
    )
    assert timeline.rate == 25
    assert timeline.duration_s == pytest.approx(2.0)
    assert "warning: the clips read end at 2.000 s but the file's sequence duration is 3.000 s" in (
        timeline.note
    )


def test_fcpxmld_bundle_in_a_production_folder(tmp_path: Path, production: Production) -> None:
    bundle = tmp_path / "timeline" / "Montage.fcpxmld"
    bundle.mkdir(parents=True)
    spine = '<asset-clip ref="r2" offset="3600s" name="SC01_SH010" duration="100/25s"/>'
    (bundle / "Info.fcpxml").write_text(_project("1.11", "100/2500s", spine, "4s"), "utf-8")
    assert find_timeline_file(tmp_path).name == "Montage.fcpxmld"
    timeline = read_timeline(tmp_path, production)
    assert timeline.path == "timeline/Montage.fcpxmld"
    assert [(s.shot_id, s.duration_s) for s in timeline.shots] == [("SC01_SH010", 4.0)]
    (bundle / "Info.fcpxml").unlink()
    with pytest.raises(TimelineError, match=r"^timeline/Montage.fcpxmld: this FCPXML bundle holds"):
        read_timeline(tmp_path, production)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<fcpxml version='1.11'><resources/>", "cannot read as FCPXML"),
        ("<xmeml version='5'/>", "not FCPXML (root element <xmeml>)"),
        ("<fcpxml version='1.11'><resources/></fcpxml>", "holds no project (a clip or event"),
        (
            _project("1.11", "100/2500s", '<asset-clip ref="r2" offset="x" duration="1s"/>', "1s"),
            "project 'Montage': not an FCPXML time: 'x'",
        ),
    ],
)
def test_unreadable_fcpxml_is_one_line(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(TimelineError) as caught:
        read_timeline_file(_write(tmp_path, text), frame_rate=25, display="timeline/cut.fcpxml")
    assert str(caught.value).startswith(f"timeline/cut.fcpxml: {reason}")
    assert "\n" not in str(caught.value)


def test_compound_clip_that_holds_itself_is_refused(tmp_path: Path) -> None:
    loop = """
    <media id="r8" name="Loop">
      <sequence format="r1" duration="2s" tcStart="0s">
        <spine><ref-clip ref="r8" offset="0s" name="Loop" duration="2s"/></spine>
      </sequence>
    </media>"""
    spine = '<ref-clip ref="r8" offset="3600s" name="Loop" duration="2s"/>'
    path = _write(tmp_path, _project("1.11", "100/2500s", spine, "2s", loop))
    with pytest.raises(TimelineError, match=r"nested more than 64 deep \(a compound clip loop\?\)"):
        read_timeline_file(path, frame_rate=25)


def test_storylines_nested_without_end_are_refused(tmp_path: Path) -> None:
    inner = '<asset-clip ref="r2" offset="0s" name="deep" duration="1s"/>'
    for _ in range(100):  # deeper than 64 storylines, within the XML depth limit (200)
        inner = f'<spine lane="1" offset="0s">{inner}</spine>'
    spine = (
        f'<asset-clip ref="r2" offset="3600s" name="SC01_SH010" duration="1s">{inner}</asset-clip>'
    )
    path = _write(tmp_path, _project("1.11", "100/2500s", spine, "1s"))
    with pytest.raises(TimelineError, match="nested more than 64 deep"):
        read_timeline_file(path, frame_rate=25)


def test_shared_fcpxml_copied_into_a_folder(
    realworld: Path, tmp_path: Path, production: Production
) -> None:
    (tmp_path / "timeline").mkdir()
    shutil.copy(realworld / "openfcpxmlkit_24.fcpxml", tmp_path / "timeline")
    timeline = read_timeline(tmp_path, production)
    assert (timeline.rate, round(timeline.duration_s, 2)) == (24, 262.96)


def test_stated_duration_runs_to_the_end_of_the_sound(tmp_path: Path) -> None:
    # Final Cut's sequence duration covers connected sound that outlasts the picture (as in
    # TheAcharya/OpenFCPXMLKit's TimelineWithSecondaryStoryline sample, FCPXML 1.13)
    spine = """
            <asset-clip ref="r2" offset="3600s" name="SC01_SH010" duration="2s">
              <asset-clip ref="r5" lane="-1" offset="1s" name="Theme" duration="3s"/>
            </asset-clip>"""
    timeline = read_timeline_file(
        _write(tmp_path, _project("1.13", "100/2500s", spine, "4s")), frame_rate=25
    )
    assert timeline.duration_s == pytest.approx(2.0)  # the picture
    assert timeline.note == ""  # 4 s, as stated, with the music
    assert [c.name for c in timeline.audio] == ["Theme"]


def test_audit_json_of_a_production_cut_in_final_cut(realworld: Path, tmp_path: Path) -> None:
    from datetime import date

    from audit.pipeline import Options, run
    from audit.report.audit_json import audit_document

    example = Path(__file__).resolve().parents[2] / "data/examples/le-dernier-phare"
    folder = tmp_path / "film"
    shutil.copytree(example, folder, ignore=shutil.ignore_patterns("out"))
    for old in (folder / "timeline").iterdir():
        old.unlink()
    shutil.copy(realworld / "openfcpxmlkit_24.fcpxml", folder / "timeline")
    document = audit_document(run(folder, Options(as_of=date(2026, 11, 20))))
    assert document["timeline"]["rate"] == 24
    assert document["timeline"]["duration_s"] == pytest.approx(262.96, abs=1 / 24)
    assert document["timeline"]["note"] == "the file states 24 fps (frame_rate 25 is for EDLs)"
