"""EDLs: the rate an EDL does not state, found from what it holds; the real Avid reel.

Written EDLs are shaped like real ones: CMX 3600 event lines as Avid Media Composer writes them
(iluvcapra/pycmx tests/edls/INS4_R1_010417.edl, here in ../shared), events without a title or FCM
line and four-digit event numbers (pycmx tests/edls/ISSUE_19_unusual01.edl), and sound events
whose source range is empty, 00:00:00:00 00:00:00:00 (pycmx tests/edls/TEST.edl).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from audit.base.errors import TimelineError
from audit.base.rates import parse_rate, timecode_frames
from audit.link.edl import edl_facts
from audit.link.timeline import read_timeline_file

REALWORLD = Path(__file__).resolve().parents[2].parent / "shared/fixtures/realworld/timelines"


@pytest.fixture
def realworld() -> Path:
    if not REALWORLD.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{REALWORLD} is missing and CI=true")
        pytest.skip(f"shared real-world fixtures not found at {REALWORLD}")
    return REALWORLD


def _events(rows: list[tuple[str, str, str, str, str]], fcm: str | None) -> str:
    """An EDL whose events last what ``rows`` say, with record times following each other."""
    lines = ["TITLE:   TEST REEL"] + ([f"FCM: {fcm}"] if fcm else [])
    for number, (name, src_in, src_out, rec_in, rec_out) in enumerate(rows, 1):
        lines.append(
            f"{number:06d}  {name[:8]:<8} V     C        {src_in} {src_out} {rec_in} {rec_out} "
        )
        lines.append(f"*FROM CLIP NAME:  {name}")
    return "\n".join(lines) + "\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cut.edl"
    path.write_text(text, encoding="utf-8")
    return path


def test_real_avid_reel_at_24_and_23976(realworld: Path) -> None:
    path = realworld / "INS4_R1_010417.edl"
    at_24 = read_timeline_file(path, frame_rate="24")
    assert at_24.rate == 24
    assert len(at_24.clips) == 287
    # the last record out is 01:19:18:13 at 24 fps: 27805 frames after 01:00:00:00
    assert at_24.duration_s == pytest.approx(27805 / 24)
    assert "it also reads at 23.976" in at_24.note
    # film at 23.976 is written with 24 fps timecode: the same frames, each 1001/1000 longer
    at_23976 = read_timeline_file(path, frame_rate="23.976")
    assert at_23976.rate == pytest.approx(24000 / 1001)
    assert len(at_23976.clips) == 287
    assert at_23976.duration_s == pytest.approx(27805 * 1001 / 24000)


def test_real_avid_reel_at_the_wrong_rate_names_the_rates_that_fit(realworld: Path) -> None:
    with pytest.raises(TimelineError) as caught:
        read_timeline_file(realworld / "INS4_R1_010417.edl", frame_rate=25, display="t.edl")
    message = str(caught.value)
    assert message.startswith("t.edl: frame_rate 25 does not fit this EDL (event 000008: ")
    assert message.endswith("; it reads at 24 or 23.976 — set frame_rate in production.yaml")
    assert "don't match" not in message
    assert "RationalTime" not in message


def test_frame_number_rules_a_rate_out(tmp_path: Path) -> None:
    text = _events(
        [
            ("A001", "10:00:00:00", "10:00:03:00", "01:00:00:00", "01:00:03:00"),
            ("A002", "10:00:05:00", "10:00:06:24", "01:00:03:00", "01:00:04:24"),
        ],
        "NON-DROP FRAME",
    )
    with pytest.raises(TimelineError) as caught:
        read_timeline_file(_write(tmp_path, text), frame_rate=24, display="timeline/cut.edl")
    assert str(caught.value) == (
        "timeline/cut.edl: frame_rate 24 does not fit this EDL (frame 24 seen in 10:00:06:24); "
        "it reads at 25, 30, 29.97 or 48 — set frame_rate in production.yaml"
    )
    timeline = read_timeline_file(_write(tmp_path, text), frame_rate="25")
    assert timeline.duration_s == pytest.approx(4 + 24 / 25)


def test_drop_frame_edl_at_2997_df(tmp_path: Path) -> None:
    # 00:00:59;28 → 00:01:00;04 at 29.97 DF is 4 frames (;00 and ;01 do not exist at minute 1)
    text = _events(
        [
            ("A001", "00:00:59;28", "00:01:00;04", "01:00:00;00", "01:00:00;04"),
            ("A002", "00:09:59;00", "00:10:00;00", "01:00:00;04", "01:00:01;04"),
        ],
        "DROP FRAME",
    )
    path = _write(tmp_path, text)
    facts = edl_facts(text)
    assert facts.fcm_drop is True
    with pytest.raises(TimelineError, match=r"\(FCM: DROP FRAME\); it reads at 29.97 DF"):
        read_timeline_file(path, frame_rate=25)
    timeline = read_timeline_file(path, frame_rate="29.97 DF")
    assert timeline.rate == pytest.approx(30000 / 1001)
    assert [c.duration_s for c in timeline.clips] == pytest.approx(
        [4 * 1001 / 30000, 30 * 1001 / 30000]
    )
    # the same timecodes counted without drop frame would give 6 frames for the first event
    ndf = parse_rate("29.97")
    assert timecode_frames("00:01:00:04", ndf) - timecode_frames("00:00:59:28", ndf) == 6


def test_speed_change_and_empty_sources_do_not_decide_the_rate(tmp_path: Path) -> None:
    text = (
        "TITLE: Final Master\n"
        "0001  Z125C001_220217_ROLX    V     C         15:51:58:10 15:52:02:16 00:00:00:00 00:00:04:06\n"
        "0002  B505C014_230224_RNBP    V     C         20:19:58:21 20:19:58:22 00:00:04:06 00:00:06:06\n"
        "M2      B505C014_230224_RNBP          000.0 20:19:58:21\n"
        "* * FREEZE FRAME\n"
        "0003  A054C025_211022_R24B    V     C         12:30:50:11 12:30:54:16 00:00:06:06 00:00:10:11\n"
        "0004  TC_R1_V6 A     C        00:00:00:00 00:00:00:00 00:00:00:00 00:00:10:11\n"
    )
    facts = edl_facts(text)
    assert [event[0] for event in facts.events] == ["0001", "0003"]
    assert facts.empty_sources == ["0004"]
    timeline = read_timeline_file(_write(tmp_path, text), frame_rate=24)
    assert timeline.duration_s == pytest.approx(10 + 11 / 24)
    assert "empty source range (first 0004)" in timeline.note
    assert len([c for c in timeline.clips if c.kind == "picture"]) == 3


def test_rate_only_from_durations(tmp_path: Path) -> None:
    # no frame above 19, no FCM: only the durations tell 24 (and 23.976) from 25 or 30
    text = _events(
        [
            ("A001", "10:00:00:20", "10:00:01:04", "01:00:00:00", "01:00:00:08"),
            ("A002", "10:00:02:00", "10:00:03:00", "01:00:00:08", "01:00:01:08"),
        ],
        None,
    )
    with pytest.raises(TimelineError, match=r"it reads at 24 or 23.976 — "):
        read_timeline_file(_write(tmp_path, text), frame_rate=30)
    with pytest.raises(TimelineError, match=r"--rate 30 does not fit .* pass another --rate$"):
        read_timeline_file(_write(tmp_path, text), frame_rate=30, rate_source="--rate")
    assert read_timeline_file(_write(tmp_path, text), frame_rate="23.98").rate == pytest.approx(
        23.976, abs=1e-3
    )


def test_unflagged_speed_change_and_wipe_to_black(tmp_path: Path) -> None:
    # an event cut at 48 fps with nothing but its clip name saying so (pycmx tests/edls/
    # ToD_R4_LOCK3.1_030618_Video.edl, event 061: "R102-6* 48FPS"), and a wipe to black whose
    # BL source timecodes mean nothing (pycmx tests/edls/test_25.edl, event 007 "W001 025")
    text = (
        "TITLE: R4 LOCK\nFCM: NON-DROP FRAME\n"
        "001  A001C001 V     C        10:00:00:00 10:00:02:12 04:00:00:00 04:00:02:12 \n"
        "* FROM CLIP NAME:  SC01_SH010\n"
        "002  A002C010 V     C        04:33:43:07 04:33:44:08 04:00:02:12 04:00:03:01 \n"
        "* FROM CLIP NAME:  SC01_SH020* 48FPS \n"
        "003  A003C001 V     C        11:00:00:00 11:00:03:05 04:00:03:01 04:00:06:06 \n"
        "* FROM CLIP NAME:  SC01_SH030\n"
        "004  A003C001 V     C        11:00:03:05 11:00:03:05 04:00:06:06 04:00:06:06 \n"
        "004  BL       V     W001 012 00:00:00:00 00:00:10:20 04:00:06:06 04:00:06:18 \n"
        "* FROM CLIP NAME:  SC01_SH030\n"
        "005  A004C001 V     C        12:00:00:00 12:00:01:21 04:00:06:18 04:00:08:15 \n"
        "* FROM CLIP NAME:  SC01_SH040\n"
    )
    facts = edl_facts(text)
    assert [event[0] for event in facts.events] == ["001", "002", "003", "004", "005"]
    timeline = read_timeline_file(_write(tmp_path, text), frame_rate="23.976")
    assert timeline.rate == pytest.approx(24000 / 1001)
    assert "1 event(s) whose source and record durations differ" in timeline.note
    assert "first event 002: source 04:33:43:07–04:33:44:08" in timeline.note
    assert "RationalTime" not in timeline.note
    assert [s.shot_id for s in timeline.shots][:3] == ["SC01_SH010", "SC01_SH020", "SC01_SH030"]


def test_sound_edl_whose_sources_count_at_another_rate(tmp_path: Path) -> None:
    # dialogue EDLs whose sources disagree with the record at every rate (pycmx tests/edls/
    # INS4_R1_DX_092117.edl): durations tell nothing, frame numbers still do
    rows = [
        (f"SR{n:03d}", f"19:11:{n:02d}:10", f"19:11:{n + 4:02d}:18", f"01:01:{n:02d}:00",
         f"01:01:{n + 4:02d}:07")
        for n in range(0, 40, 5)
    ]  # fmt: skip
    text = _events(rows, "NON-DROP FRAME").replace(" V     C", " A     C")
    timeline = read_timeline_file(_write(tmp_path, text), frame_rate=24)
    assert timeline.rate == 24
    assert len(timeline.audio) == 8
    assert "8 event(s) whose source and record durations differ" in timeline.note


def test_wipe_to_black_is_read_past_with_a_note(tmp_path: Path) -> None:
    # the shape of pycmx tests/edls/test_25.edl, event 007: a sound wipe to reel BL
    text = (
        "TITLE: Sequence 01\n\n"
        "001  AX       V     C        01:00:00:00 01:00:59:24 00:00:00:00 00:00:59:24\n"
        "* FROM CLIP NAME: SC01_SH010.jpg\n\n"
        "002  AX       AA    C        00:00:00:00 00:01:10:19 00:00:00:00 00:01:10:19\n"
        "* FROM CLIP NAME: theme.mov\n\n"
        "003  AX       AA    C        00:00:29:01 00:00:29:01 00:01:10:19 00:01:10:19\n"
        "003  BL       AA    W001 025 00:00:00:00 00:00:10:20 00:01:10:19 00:01:22:14\n"
        "* FROM CLIP NAME: SC01_SH010.jpg\n* TO CLIP NAME: BL\n"
    )
    timeline = read_timeline_file(_write(tmp_path, text), frame_rate=25)
    assert timeline.rate == 25
    assert "read past OpenTimelineIO's objection (source and record durations differ" in (
        timeline.note
    )
    assert "RationalTime" not in timeline.note
