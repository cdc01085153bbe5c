"""Content Credentials read offline: the real c2pa-rs fixtures (../shared/fixtures/c2pa), a remote
manifest that must not be fetched, XMP digitalSourceType without a manifest, and no network."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from audit.ingest.provenance import AiClass, C2paState, classify, media_files, scan_provenance

XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" {attrs}/></rdf:RDF>'
    '</x:xmpmeta><?xpacket end="w"?>'
)
DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any Python-level connection attempt fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def jpeg_with_xmp(path: Path, attrs: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (16, 9), (20, 40, 60)).save(path, xmp=XMP.format(attrs=attrs).encode())
    return path


@pytest.fixture
def c2pa_folder(shared_fixtures: Path, tmp_path: Path) -> Path:
    for name in ("ocsp.jpg", "C.jpg", "CA.jpg", "XCA.jpg", "no_manifest.jpg"):
        shutil.copy(shared_fixtures / "c2pa" / name, tmp_path / name)
    return tmp_path


def test_fixture_states(c2pa_folder: Path) -> None:
    found = {item.path: item for item in scan_provenance(c2pa_folder)}
    assert list(found) == ["C.jpg", "CA.jpg", "XCA.jpg", "no_manifest.jpg", "ocsp.jpg"]
    assert {path: item.state.value for path, item in found.items()} == {
        "C.jpg": "valid_untrusted",
        "CA.jpg": "valid_untrusted",
        "XCA.jpg": "invalid",
        "no_manifest.jpg": "absent",
        "ocsp.jpg": "valid_untrusted",
    }
    assert found["XCA.jpg"].reasons == [
        "assertion.dataHash.mismatch",
        "signingCredential.untrusted",
    ]


def test_firefly_photoshop_chain(c2pa_folder: Path) -> None:
    (item,) = scan_provenance(c2pa_folder, [Path("ocsp.jpg")])
    assert item.classification is AiClass.partly_ai
    assert item.digital_source_types == [
        "compositeWithTrainedAlgorithmicMedia",
        "trainedAlgorithmicMedia",
    ]
    assert item.claim_generator == "Adobe_Photoshop/26.9.0 adobe_c2pa/0.14.2 c2pa-rs/0.43.0"
    assert item.software_agents == ["Adobe Firefly"]
    assert item.signer == "Adobe C2PA"
    assert item.signed_at == "2025-08-13T16:30:55+00:00"
    assert item.instance_id == "xmp:iid:7a40beaa-f4c9-4107-ab26-74e570f5e25c"
    assert item.origin == "c2pa"
    assert item.has_manifest


def test_test_image_is_synthetic_not_ai(c2pa_folder: Path) -> None:
    (item,) = scan_provenance(c2pa_folder, [c2pa_folder / "C.jpg"])
    assert (item.state, item.classification) == (
        C2paState.valid_untrusted,
        AiClass.synthetic_non_ai,
    )
    assert item.digital_source_types == ["algorithmicMedia"]
    assert item.software_agents == ["Make Test Images 0.33.1"]
    assert item.signer == "C2PA Signer"


def test_edit_without_source_type_is_unknown(c2pa_folder: Path) -> None:
    found = {item.path: item for item in scan_provenance(c2pa_folder)}
    assert found["CA.jpg"].classification is AiClass.unknown
    assert found["no_manifest.jpg"].classification is AiClass.unknown
    assert found["no_manifest.jpg"].origin == "none"
    assert not found["no_manifest.jpg"].has_manifest


def test_remote_manifest_is_reported_not_fetched(tmp_path: Path) -> None:
    url = "https://manifests.example.invalid/m/abc.c2pa"
    jpeg_with_xmp(tmp_path / "deliverables" / "remote.jpg", f'dcterms:provenance="{url}"')
    (item,) = scan_provenance(tmp_path)
    assert item.path == "deliverables/remote.jpg"
    assert item.is_master
    assert item.state is C2paState.remote_not_fetched
    assert item.remote_url == url
    assert item.has_manifest


def test_xmp_source_type_without_manifest(tmp_path: Path) -> None:
    jpeg_with_xmp(
        tmp_path / "a.jpg", f'Iptc4xmpExt:DigitalSourceType="{DST}trainedAlgorithmicMedia"'
    )
    jpeg_with_xmp(tmp_path / "b.jpg", f'Iptc4xmpExt:DigitalSourceType="{DST}digitalCapture"')
    first, second = scan_provenance(tmp_path)
    assert (first.state, first.origin, first.classification) == (
        C2paState.absent,
        "xmp",
        AiClass.fully_ai,
    )
    assert first.digital_source_types == ["trainedAlgorithmicMedia"]
    assert second.classification is AiClass.captured


def test_unparseable_media_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "clip.mp4").write_bytes(b"not an mp4 at all" * 4)
    (item,) = scan_provenance(tmp_path)
    assert item.state is C2paState.unreadable
    assert item.reasons[0].startswith("Other: asset could not be parsed")


def test_media_files_skip_logs_json_and_hidden(tmp_path: Path) -> None:
    for name in (
        "logs/suno/clips.json",
        "logs/mj/png/a.png",
        ".cache/b.png",
        "rights/x.csv",
        "timeline/cut.xml",
        "audio/VO.WAV",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert [p.relative_to(tmp_path).as_posix() for p in media_files(tmp_path)] == [
        "audio/VO.WAV",
        "logs/mj/png/a.png",
    ]
    assert scan_provenance(tmp_path / "rights") == []


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["trainedAlgorithmicMedia"], AiClass.fully_ai),
        (["trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"], AiClass.partly_ai),
        (["compositeSynthetic"], AiClass.partly_ai),
        (["digitalCapture"], AiClass.captured),
        (["algorithmicMedia"], AiClass.synthetic_non_ai),
        (["humanEdits"], AiClass.unknown),
        ([], AiClass.unknown),
    ],
)
def test_classify(values: list[str], expected: AiClass) -> None:
    assert classify(values) is expected
