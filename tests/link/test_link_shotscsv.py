"""shots.csv, for productions without an exported edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.base.errors import TimelineError
from audit.base.production import Production
from audit.link.timeline import read_timeline


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    (tmp_path / "timeline").mkdir()
    (tmp_path / "timeline" / "shots.csv").write_bytes(text.encode(encoding))
    return tmp_path


def test_comma_csv(tmp_path: Path, production: Production) -> None:
    folder = _write(
        tmp_path,
        "shot_id,sequence,record_in,duration_s,media\n"
        "SC01_SH010,Ouverture,0,4.5,rendus/SC01_SH010_kling_abc.mp4\n"
        "sc01_sh020,Ouverture,4.5,3.25,\n"
        "SC02_SH010,,,2\n"
        "stock,,,2,stock_vagues_0412.mov\n",
    )
    timeline = read_timeline(folder, production)
    assert (timeline.adapter, timeline.path, timeline.rate) == (
        "shots_csv",
        "timeline/shots.csv",
        25,
    )
    assert [(s.shot_id, s.sequence, s.record_in_s, s.duration_s) for s in timeline.shots] == [
        ("SC01_SH010", "Ouverture", 0.0, 4.5),
        ("SC01_SH020", "Ouverture", 4.5, 3.25),
        ("SC02_SH010", "SC02", 7.75, 2.0),  # blank record_in follows the previous row
        ("stock", None, 9.75, 2.0),
    ]
    first = timeline.shots[0].clips[0]
    assert (first.media_name, first.media_url) == (
        "SC01_SH010_kling_abc.mp4",
        "rendus/SC01_SH010_kling_abc.mp4",
    )
    assert timeline.duration_s == pytest.approx(11.75)
    assert timeline.gap_s == pytest.approx(0.0)


def test_french_excel_csv_with_timecodes(tmp_path: Path, production: Production) -> None:
    folder = _write(
        tmp_path,
        "shot_id;sequence;record_in;duration_s;media;kind\r\n"
        "SC01_SH010;Séquence 1;01:00:00:00;4,5;SC01_SH010.mp4;picture\r\n"
        "SC01_SH020;Séquence 1;01:00:05:00;3,2;;\r\n"
        "musique;;01:00:00:12;8,48;suno_abc.mp3;audio\r\n",
        encoding="cp1252",
    )
    timeline = read_timeline(folder, production)
    assert [(s.shot_id, s.sequence, s.record_in_s) for s in timeline.shots] == [
        ("SC01_SH010", "Séquence 1", 0.0),
        ("SC01_SH020", "Séquence 1", 5.0),
    ]
    assert [s.duration_s for s in timeline.shots] == pytest.approx([4.5, 3.2])
    assert timeline.duration_s == pytest.approx(8.2)
    assert timeline.gap_s == pytest.approx(0.5)
    (music,) = timeline.audio
    assert (music.name, music.media_name, music.record_in_s) == ("musique", "suno_abc.mp3", 0.48)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "shot_id,duration_s\nSC01_SH010,zero\n",
            "timeline/shots.csv:2: duration_s: must be a positive number of seconds (got 'zero')",
        ),
        (
            "shot_id,record_in\nSC01_SH010,0\n",
            "timeline/shots.csv:1: duration_s: missing column; allowed: duration_s, kind, media, "
            "record_in, sequence, shot_id",
        ),
        (
            "shot_id,duration_s,kind\nSC01_SH010,2,video\n",
            "timeline/shots.csv:2: kind: unknown kind (got 'video'); allowed: audio, picture",
        ),
        (
            "shot_id,duration_s,record_in\nSC01_SH010,2,01:00:00:25\n",
            "timeline/shots.csv:2: record_in: timecode has frame 25, beyond 24 at 25 fps; set "
            "frame_rate in production.yaml or pass --rate (got '01:00:00:25')",
        ),
    ],
)
def test_errors_name_line_field_and_value(
    tmp_path: Path, production: Production, rows: str, message: str
) -> None:
    folder = _write(tmp_path, rows)
    with pytest.raises(TimelineError) as caught:
        read_timeline(folder, production)
    assert str(caught.value) == message
