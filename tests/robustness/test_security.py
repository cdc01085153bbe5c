"""Files outside the production folder are never read: asset references with ``../`` or absolute
paths are only names, never opened; links leading out of the folder are refused (inputs) or not
followed (media); YAML is only ever read with ``yaml.safe_load``."""

from __future__ import annotations

import builtins
import hashlib
import io
import re
from pathlib import Path

import pytest

from audit.base.errors import InputError
from audit.base.models import Generation
from audit.ingest.walk import ingest_folder, safe_files
from audit.link.keys import LocalMedia, build_index, match_clip
from audit.link.model import Clip
from audit.pipeline import inputs_digest

REPO = Path(__file__).resolve().parents[2]
SECRET = b"not yours to read\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file beside (not inside) the production folder ``tmp_path / "film"``."""
    (tmp_path / "film" / "logs").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    secret = tmp_path / "elsewhere" / "secret.mp4"
    secret.write_bytes(SECRET)
    return secret


def _generation(**fields: object) -> Generation:
    base = {"id": "kling:0123456789abcdef", "platform": "kling", "modality": "video",
            "created_at": "2026-09-01T10:00:00Z", "source_file": "logs/x.csv",
            "source_locator": "2", "adapter": "canonical"}  # fmt: skip
    return Generation.model_validate({**base, **fields})


def _clip(media: str) -> Clip:
    name = media.replace("\\", "/").rsplit("/", 1)[-1]
    return Clip(name=name, media_name=name, media_url=media, kind="picture", track=1,
                record_in_s=0.0, duration_s=5.0, shot_id="SC01_SH010")  # fmt: skip


@pytest.mark.parametrize("reference", ["../elsewhere/secret.mp4", "ABSOLUTE", "file://ABSOLUTE"])
def test_clip_paths_out_of_the_folder_are_not_opened(
    tmp_path: Path, outside: Path, reference: str
) -> None:
    """A clip naming a file outside the folder (relative or absolute) matches nothing by content:
    the linker only hashes files it found inside the folder, by name."""
    reference = reference.replace("ABSOLUTE", str(outside))
    digest = hashlib.sha256(SECRET).hexdigest()
    index = build_index([_generation(attributes={"sha256": digest})])
    local = LocalMedia(tmp_path / "film")
    hits, key = match_clip(_clip(reference), index, local, None)
    assert (hits, key) == ([], None)
    assert local._digests == {}  # nothing was hashed


def test_input_references_are_never_opened(
    tmp_path: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records naming inputs with ../ or absolute paths: kept as text, the files untouched."""
    (tmp_path / "film" / "logs" / "journal.csv").write_text(
        "platform,modality,created_at,inputs,outputs\n"
        f"comfyui,video,2026-09-01T10:00:00Z,../elsewhere/secret.mp4|{outside},"
        f"{outside}\n",
        encoding="utf-8",
    )
    opened: list[str] = []
    real_open = io.open

    def recording_open(file: object, *args: object, **kwargs: object) -> object:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(io, "open", recording_open)
    monkeypatch.setattr(builtins, "open", recording_open)
    result = ingest_folder(tmp_path / "film")
    [gen] = result.generations
    assert [ref.uri for ref in gen.inputs] == ["../elsewhere/secret.mp4", str(outside)]
    assert any(name.endswith("journal.csv") for name in opened)
    assert not [name for name in opened if "secret" in name]


def test_linked_media_file_leading_out_is_not_followed(tmp_path: Path, outside: Path) -> None:
    """A media file inside the folder that is a link to a file outside is never hashed."""
    media = tmp_path / "film" / "media"
    media.mkdir()
    (media / "SC01_SH010.mp4").symlink_to(outside)
    inside = media / "SC01_SH020.mp4"
    inside.write_bytes(b"ours\n")
    digest = hashlib.sha256(SECRET).hexdigest()
    index = build_index([_generation(attributes={"sha256": digest})])
    local = LocalMedia(tmp_path / "film")
    assert match_clip(_clip("SC01_SH010.mp4"), index, local, None) == ([], None)
    assert outside not in local._digests
    assert (media / "SC01_SH010.mp4") not in local._digests
    assert local.warnings == ["media/SC01_SH010.mp4: a link out of the production folder; not read"]


def test_linked_media_folder_is_not_entered(tmp_path: Path, outside: Path) -> None:
    (tmp_path / "film" / "media").symlink_to(outside.parent, target_is_directory=True)
    local = LocalMedia(tmp_path / "film")
    assert local._scan() == {}


@pytest.mark.parametrize("folder", ["logs", "timeline", "rights"])
def test_input_link_leading_out_is_refused(tmp_path: Path, outside: Path, folder: str) -> None:
    """A link in logs/, timeline/ or rights/ that leads out: refused with one line naming it."""
    where = tmp_path / "film" / folder
    where.mkdir(exist_ok=True)
    (where / "data.json").symlink_to(outside)
    with pytest.raises(InputError) as caught:
        safe_files(tmp_path / "film", where)
    assert str(caught.value) == (
        f"{where / 'data.json'}: link points outside the production folder"
    )
    (tmp_path / "film" / "production.yaml").write_text("title: x\n", encoding="utf-8")
    with pytest.raises(InputError):
        inputs_digest(tmp_path / "film")


def test_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    film = tmp_path / "film"
    (film / "logs").mkdir(parents=True)
    (film / "shared").mkdir()
    real = film / "shared" / "journal.csv"
    real.write_text("platform,modality,created_at\nkling,video,2026-09-01T10:00:00Z\n", "utf-8")
    (film / "logs" / "journal.csv").symlink_to(real)
    assert [g.id for g in ingest_folder(film).generations] == ["kling:journal-2"]


def test_linked_folder_in_logs_is_not_entered(tmp_path: Path, outside: Path) -> None:
    film = tmp_path / "film"
    (outside.parent / "journal.csv").write_text(
        "platform,modality,created_at\nkling,video,2026-09-01T10:00:00Z\n", encoding="utf-8"
    )
    (film / "logs" / "elsewhere").symlink_to(outside.parent, target_is_directory=True)
    assert safe_files(film, film / "logs") == []


_UNSAFE_YAML = re.compile(r"yaml\.(load|load_all|full_load|unsafe_load|full_load_all)\s*\(|"
                          r"yaml\.(Unsafe|Full)?Loader\b")  # fmt: skip


def test_yaml_is_only_read_with_safe_load() -> None:
    """No ``yaml.load(`` (or its unsafe relatives) anywhere in the code, tests or tools."""
    offenders = []
    for top in ("audit", "estimators", "bench", "tests", "data"):
        for path in sorted((REPO / top).rglob("*.py")):
            if path == Path(__file__):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if _UNSAFE_YAML.search(line):
                    offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []
    uses = sum(
        path.read_text(encoding="utf-8").count("yaml.safe_load(")
        for path in (REPO / "audit").rglob("*.py")
    )
    assert uses >= 2  # production.yaml and the rules' knowledge files are read, safely


def test_unsafe_yaml_pattern_catches_what_it_should() -> None:
    call = "yaml" + ".load(text, Loader=yaml.Loader)"
    assert _UNSAFE_YAML.search(call)
    assert _UNSAFE_YAML.search("yaml" + ".unsafe_load(x)")
    assert not _UNSAFE_YAML.search("yaml.safe_load(x)")
