"""Helpers of the report tests: HTML sections, PDF inspection (pypdf), page images (poppler),
a recording URL fetcher, and small production folders built in a temporary directory."""

from __future__ import annotations

import base64
import csv
import hashlib
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml
from PIL import Image

from audit import __version__
from audit.forecast.skeleton import write_skeleton
from audit.report import render

#: WeasyPrint 70 opens its sRGB profile for every PDF/A and never closes it
#: (weasyprint/pdf/__init__.py, ``(files(__package__) / 'sRGB2014.icc').open('rb')``): a
#: ResourceWarning we cannot fix, ignored on the tests that render PDFs in this process.
WEASYPRINT_ICC_LEAK = pytest.mark.filterwarnings(
    r"ignore:unclosed file .*sRGB2014\.icc:ResourceWarning"
)
_SECTION = re.compile(r'<section\b[^>]*\bid="([^"]+)"[^>]*>.*?</section>', re.DOTALL)
_CHART = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")
_SVG_METADATA = re.compile(r"<metadata>.*?</metadata>", re.DOTALL)


# --- HTML ---------------------------------------------------------------------------------


def sections(html: str) -> dict[str, str]:
    """``<section id=…>…</section>`` blocks of the report, by id, in document order."""
    return {match.group(1): match.group(0) + "\n" for match in _SECTION.finditer(html)}


def _chart_placeholder(match: re.Match[str]) -> str:
    svg = base64.b64decode(match.group(1)).decode("utf-8")
    # The metadata block names the matplotlib version; the drawing is what matters.
    drawing = _SVG_METADATA.sub("", svg)
    return "data:image/svg+xml;sha256=" + hashlib.sha256(drawing.encode()).hexdigest()[:16]


def normalise(html: str, data_version: str) -> str:
    """Charts replaced by a hash of their drawing; Empreinte's and the data's versions masked."""
    text = _CHART.sub(_chart_placeholder, html)
    for value, mask in ((__version__, "{version}"), (data_version, "{data_version}")):
        text = re.sub(rf"(?<![\w.]){re.escape(value)}(?![\w]|\.\d)", mask, text)
    return text


# --- PDF ----------------------------------------------------------------------------------


def squash(text: str) -> str:
    """Text with every run of whitespace (no-break and narrow spaces included) as one space."""
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return squash(" ".join(page.extract_text() for page in reader.pages))


def xmp_packet(reader: pypdf.PdfReader) -> str:
    catalog: Any = reader.trailer["/Root"]
    stream = catalog["/Metadata"].get_object()
    return str(stream.get_data().decode("utf-8"))


def xmp_value(xmp: str, name: str) -> str | None:
    """``pdfaid:part`` and the like, written as an attribute or as an element."""
    found = re.search(rf'{name}="([^"]*)"', xmp) or re.search(rf"<{name}>([^<]*)</{name}>", xmp)
    return found.group(1) if found else None


def _fonts_of(resources: Any, seen: set[int], fonts: dict[str, bool]) -> None:
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target.get("/FontDescriptor")
        embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
        name = str(font["/BaseFont"]).lstrip("/")
        fonts[name.split("+", 1)[-1]] = fonts.get(name.split("+", 1)[-1], True) and embedded
    for xobject in (resources.get("/XObject") or {}).values():
        ref = getattr(xobject, "idnum", None)
        if ref is not None and ref in seen:
            continue
        if ref is not None:
            seen.add(ref)
        _fonts_of(xobject.get_object().get("/Resources"), seen, fonts)


def fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Font name (without subset tag) → every use of it has a FontFile2 (embedded TrueType)."""
    found: dict[str, bool] = {}
    seen: set[int] = set()
    for page in reader.pages:
        _fonts_of(page.get("/Resources"), seen, found)
    return found


def af_files(reader: pypdf.PdfReader) -> dict[str, dict[str, str]]:
    """The catalogue's /AF file specifications: name → relationship and MIME subtype."""
    files = {}
    catalog: Any = reader.trailer["/Root"]
    for ref in catalog["/AF"]:
        spec = ref.get_object()
        stream = spec["/EF"]["/F"].get_object()
        files[str(spec["/UF"])] = {
            "relationship": str(spec["/AFRelationship"]),
            "subtype": str(stream["/Subtype"]),
        }
    return files


def text_position(page: Any, needle: str) -> tuple[float, float, float]:
    """(x, baseline from the top, font size), in points, of the first text run holding needle."""
    found: list[tuple[float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if needle in text and not found:
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            found.append((x, float(page.mediabox.height) - y, size * abs(cm[3] * tm[3])))

    page.extract_text(visitor_text=visit)
    assert found, f"{needle!r} is not on the page"
    return found[0]


def header_and_body(page: Any) -> tuple[str, str]:
    """(the running header's right-hand text, the page's text below the top margin): the top
    margin is the @page's 18 mm; the right half holds the chapter's name, the left the title."""
    margin, half = 18 / 25.4 * 72, float(page.mediabox.width) / 2
    header: list[str] = []
    body: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, _size: float) -> None:
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = float(page.mediabox.height) - (cm[1] * tm[4] + cm[3] * tm[5] + cm[5])
        if y >= margin:
            body.append(text)
        elif x > half:
            header.append(text)

    page.extract_text(visitor_text=visit)
    return squash("".join(header)), squash("".join(body))


# --- page images --------------------------------------------------------------------------


def pdftoppm(ci: bool) -> str:
    """poppler's pdftoppm, or a skip with the reason (a failure when CI=true)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        message = "pdftoppm (poppler-utils) is not installed: apt-get install poppler-utils"
        if ci:
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    return tool


def page_images(
    tool: str, pdf: Path, folder: Path, dpi: int, last: int | None = None
) -> list[Image.Image]:
    """Every page (or pages 1 to ``last``) as a greyscale image."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = [] if last is None else ["-l", str(last)]
    command = [tool, "-png", "-r", str(dpi), *pages, str(pdf), str(folder / "page")]
    subprocess.run(command, check=True, timeout=120)
    images = []
    for path in sorted(folder.glob("page-*.png")):
        with Image.open(path) as image:
            images.append(image.convert("L"))
    return images


def ink(image: Image.Image, box: tuple[float, float, float, float], below: int) -> int:
    """Pixels darker than ``below`` (0–255) inside ``box`` (left, top, right, bottom; pixels)."""
    left, top, right, bottom = (round(v) for v in box)
    return sum(image.crop((left, top, right, bottom)).histogram()[:below])


# --- watching the renderer ----------------------------------------------------------------


@dataclass
class Watch:
    """What a render asked the URL fetcher for, the files it opened, the connections it tried."""

    urls: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    connections: list[Any] = field(default_factory=list)


@contextmanager
def watching(monkeypatch: pytest.MonkeyPatch) -> Iterator[Watch]:
    """Record every URL given to Empreinte's fetcher, every file opened through ``open`` or
    ``Path.open`` (``read_bytes`` and ``read_text`` included), and refuse every socket."""
    import builtins
    import socket

    watch = Watch()
    make_fetcher = render._fetcher_class

    def recording_fetcher() -> type:
        base = make_fetcher()

        class Recording(base):  # type: ignore[misc,valid-type]
            def fetch(self, url: str, headers: Any = None) -> Any:
                watch.urls.append(url)
                return super().fetch(url, headers)

        return Recording

    real_open, real_path_open = builtins.open, Path.open

    def recording_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        watch.opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def recording_path_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        watch.opened.append(str(self))
        return real_path_open(self, *args, **kwargs)

    def refused(self: socket.socket, address: Any) -> None:
        watch.connections.append(address)
        raise OSError("tests: no network")

    with monkeypatch.context() as patch:
        patch.setattr(render, "_fetcher_class", recording_fetcher)
        patch.setattr(builtins, "open", recording_open)
        patch.setattr(Path, "open", recording_path_open)
        patch.setattr(socket.socket, "connect", refused)
        patch.setattr(socket.socket, "connect_ex", refused)
        yield watch


# --- production folders -------------------------------------------------------------------


def write_production(
    root: Path,
    production: dict[str, Any],
    logs: dict[str, list[dict[str, Any]]],
    shots: list[dict[str, Any]],
    consents: list[dict[str, str]] = (),  # type: ignore[assignment]
) -> Path:
    """``empreinte init``'s skeleton, production.yaml fields replaced, canonical CSV logs,
    timeline/shots.csv and rights/consents.csv rows."""
    write_skeleton(root)
    fields = yaml.safe_load((root / "production.yaml").read_text(encoding="utf-8"))
    fields.update(production)
    (root / "production.yaml").write_text(yaml.safe_dump(fields, allow_unicode=True), "utf-8")
    for name, rows in logs.items():
        _write_csv(root / "logs" / name, rows)
    _write_csv(root / "timeline" / "shots.csv", shots)
    if consents:
        header = (root / "rights" / "consents.csv").read_text(encoding="utf-8").strip()
        _write_csv(root / "rights" / "consents.csv", list(consents), header.split(","))
    return root


def _write_csv(path: Path, rows: list[dict[str, Any]], header: list[str] | None = None) -> None:
    columns = header or list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
