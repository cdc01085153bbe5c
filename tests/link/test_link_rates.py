"""Frame rates as editors write them, in production.yaml, --rate and shots.csv timecodes."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.base.errors import ConfigError
from audit.base.production import Production, load_production
from audit.base.rates import Rate, parse_rate, timecode_frames
from audit.cli import app
from audit.link.timeline import read_timeline

NTSC_24 = Fraction(24000, 1001)
NTSC_30 = Fraction(30000, 1001)
EXAMPLE = Path(__file__).resolve().parents[2] / "data/examples/le-dernier-phare"


@pytest.mark.parametrize(
    ("written", "exact", "drop", "label"),
    [
        ("23.976", NTSC_24, False, "23.976"),
        ("23.98", NTSC_24, False, "23.976"),
        ("24000/1001", NTSC_24, False, "23.976"),
        ("23,976", NTSC_24, False, "23.976"),
        (23.976, NTSC_24, False, "23.976"),
        (23.976023976023978, NTSC_24, False, "23.976"),
        ("29.97", NTSC_30, False, "29.97"),
        ("29.97 DF", NTSC_30, True, "29.97 DF"),
        ("29.97df", NTSC_30, True, "29.97 DF"),
        ("29.97 NDF", NTSC_30, False, "29.97"),
        ("30000/1001 drop frame", NTSC_30, True, "29.97 DF"),
        ("59.94", Fraction(60000, 1001), False, "59.94"),
        ("59.94 DF", Fraction(60000, 1001), True, "59.94 DF"),
        ("24", Fraction(24), False, "24"),
        (25, Fraction(25), False, "25"),
        ("30", Fraction(30), False, "30"),
        ("48", Fraction(48), False, "48"),
        ("50", Fraction(50), False, "50"),
        ("60 fps", Fraction(60), False, "60"),
        ("24p", Fraction(24), False, "24"),
    ],
)
def test_rates_as_written(written: object, exact: Fraction, drop: bool, label: str) -> None:
    rate = parse_rate(written)
    assert (rate.exact, rate.drop_frame, rate.label) == (exact, drop, label)
    assert rate == pytest.approx(float(exact))


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("fast", "not a frame rate"),
        ("0", "out of range"),
        ("1000", "out of range"),
        ("25 DF", "drop-frame timecode exists only at 29.97 and 59.94"),
        ("24/0", "not a frame rate"),
        (True, "not a frame rate"),
    ],
)
def test_bad_rates(written: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_rate(written)


@pytest.mark.parametrize(
    ("timecode", "rate", "frames"),
    [
        ("01:00:00:00", "24", 86400),
        ("01:00:00:00", "23.976", 86400),  # 24 fps timecode counts the same frames
        ("01:00:00;00", "29.97 DF", 107892),  # 108000 less 2 × 54 dropped numbers
        ("00:01:00;02", "29.97 DF", 1800),  # ;00 and ;01 do not exist at minute 1
        ("00:10:00;00", "29.97 DF", 17982),  # every tenth minute keeps them
        ("01:00:00;00", "59.94 DF", 215784),
        ("01:00:00;00", "29.97", 107892),  # ';' says drop frame at 29.97
        ("01:00:00:00", "29.97", 108000),
    ],
)
def test_timecodes(timecode: str, rate: str, frames: int) -> None:
    assert timecode_frames(timecode, parse_rate(rate)) == frames


def test_timecode_beyond_the_rate() -> None:
    with pytest.raises(ValueError, match=r"timecode has frame 24, beyond 23 at 23\.976 fps"):
        timecode_frames("01:00:00:24", parse_rate("23.976"))


def test_rate_is_a_float_that_pickles() -> None:
    import pickle

    rate = parse_rate("29.97 DF")
    copy = pickle.loads(pickle.dumps(rate))
    assert isinstance(copy, Rate)
    assert (copy.exact, copy.drop_frame) == (NTSC_30, True)
    assert rate.seconds(30000) == pytest.approx(1001.0)


@pytest.mark.parametrize("written", ["23.976", "29.97 DF", "24000/1001", "25"])
def test_production_yaml_takes_rates_as_written(tmp_path: Path, written: str) -> None:
    text = (EXAMPLE / "production.yaml").read_text(encoding="utf-8")
    (tmp_path / "production.yaml").write_text(
        text.replace("frame_rate: 25", f'frame_rate: "{written}"'), encoding="utf-8"
    )
    production = load_production(tmp_path)
    assert production.frame_rate == parse_rate(written)
    assert production.frame_rate.label == parse_rate(written).label
    assert production.model_dump(mode="json")["frame_rate"] == float(parse_rate(written))


def test_production_yaml_bad_rate_is_one_line(tmp_path: Path) -> None:
    text = (EXAMPLE / "production.yaml").read_text(encoding="utf-8")
    (tmp_path / "production.yaml").write_text(
        text.replace("frame_rate: 25", "frame_rate: 25 DF"), encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_production(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'production.yaml'}: frame_rate: drop-frame timecode exists only at 29.97 "
        "and 59.94 (got '25 DF')"
    )


def test_shots_csv_drop_frame_timecodes(tmp_path: Path, production: Production) -> None:
    (tmp_path / "timeline").mkdir()
    (tmp_path / "timeline" / "shots.csv").write_text(
        "shot_id,duration_s,record_in\nSC01_SH010,2,00:00:59;28\nSC01_SH020,2,00:01:00;04\n",
        encoding="utf-8",
    )
    timeline = read_timeline(tmp_path, production, rate=parse_rate("29.97 DF"))
    # 4 frames apart (two numbers are dropped at the minute), not 6
    assert timeline.shots[1].record_in_s == pytest.approx(4 * 1001 / 30000)


def test_cli_rate_as_written_and_exit_2_on_a_wrong_one(
    tmp_path: Path, production: Production
) -> None:
    folder = tmp_path / "film"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("out"))
    for old in (folder / "timeline").iterdir():
        old.unlink()
    (folder / "timeline" / "cut.edl").write_text(
        "TITLE: CUT\nFCM: NON-DROP FRAME\n"
        "001  A001 V     C        10:00:00:00 10:00:02:23 01:00:00:00 01:00:02:23 \n"
        "* FROM CLIP NAME:  SC01_SH010\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    base = ["estimate", str(folder), "--as-of", "2026-11-20", "--json"]
    assert runner.invoke(app, [*base, "--rate", "23.976"]).exit_code == 0
    wrong = runner.invoke(app, [*base, "--rate", "29.97 DF"])
    assert wrong.exit_code == 2
    assert "timeline/cut.edl: --rate 29.97 DF does not fit this EDL" in wrong.output
    bad = runner.invoke(app, [*base, "--rate", "fast"])
    assert bad.exit_code == 2
    assert "--rate: not a frame rate" in bad.output
