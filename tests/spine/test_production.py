from pathlib import Path

import pytest

from audit.base.errors import ConfigError
from audit.base.production import load_production
from audit.forecast.skeleton import write_skeleton


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "production.yaml").write_text(text, encoding="utf-8")
    return folder


def test_skeleton_is_a_valid_production(tmp_path: Path) -> None:
    written = write_skeleton(tmp_path / "film")
    assert {p.name for p in written} >= {
        "production.yaml",
        "sources.csv",
        "consents.csv",
        "plans.csv",
    }
    prod = load_production(tmp_path / "film")
    assert prod.title == "Mon court métrage"
    assert [d.value for d in prod.distribution] == ["festival", "online"]
    assert prod.frame_rate == 25


def test_skeleton_refuses_to_overwrite(tmp_path: Path) -> None:
    write_skeleton(tmp_path)
    with pytest.raises(ConfigError, match="already a production folder"):
        write_skeleton(tmp_path)


def test_bad_enum_names_file_field_value_and_choices(tmp_path: Path) -> None:
    write_skeleton(tmp_path)
    path = tmp_path / "production.yaml"
    path.write_text(path.read_text().replace("[festival, online]", "[festival, cinema]"))
    with pytest.raises(ConfigError) as info:
        load_production(tmp_path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: distribution.1: ")
    assert "'cinema'" in message
    assert "allowed: broadcast, commercial, education, festival, online" in message


def test_unknown_field_lists_valid_fields(tmp_path: Path) -> None:
    write_skeleton(tmp_path)
    path = tmp_path / "production.yaml"
    path.write_text(path.read_text() + "titre: Oups\n")
    with pytest.raises(ConfigError, match=r"titre: unknown field .*allowed: .*title"):
        load_production(tmp_path)


def test_bad_territory_and_yaml_syntax(tmp_path: Path) -> None:
    write_skeleton(tmp_path)
    path = tmp_path / "production.yaml"
    text = path.read_text()
    path.write_text(text.replace("territories: [FR]", "territories: [FRANCE]"))
    with pytest.raises(ConfigError, match=r"territories.*unknown territory 'FRANCE'"):
        load_production(tmp_path)
    path.write_text("title: [unclosed\n")
    with pytest.raises(ConfigError, match=r"production.yaml:\d+: not valid YAML"):
        load_production(tmp_path)


def test_missing_production_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing production\.yaml"):
        load_production(tmp_path)


def test_production_yaml_linked_from_outside_is_refused(tmp_path: Path) -> None:
    write_skeleton(tmp_path / "elsewhere")
    film = tmp_path / "film"
    film.mkdir()
    (film / "production.yaml").symlink_to(tmp_path / "elsewhere" / "production.yaml")
    with pytest.raises(ConfigError, match="link points outside the production folder"):
        load_production(film)
