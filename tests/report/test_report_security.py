"""Untrusted text in a production folder never becomes markup, a fetched URL, an attachment, an
opened file, a connection or an evaluated template (GHSA-35jj-wx47-4w8r), and
``--redact-prompts`` keeps prompts out of every output."""

from __future__ import annotations

import base64
import json
import mimetypes
import sys
import tempfile
from datetime import date
from pathlib import Path

import matplotlib
import pypdf
import pytest
from typer.testing import CliRunner

from audit.base.resources import templates_dir
from audit.cli import app
from audit.pipeline import Options, run
from audit.report.charts import ranged_bars
from audit.report.render import Attachment, write_pdf
from audit.report.write import write_all
from tests.report.report_support import (
    WEASYPRINT_ICC_LEAK,
    Watch,
    pdf_text,
    read_csv,
    squash,
    watching,
    write_production,
)

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]

ATTACH_A = '<a rel="attachment" href="file:///etc/passwd">x</a>'
IMG_FILE = '<img src="file:///etc/hostname">'
IMG_HTTP = '<img src="http://127.0.0.1:9/x.png">'
ATTACH_LINK = '<link rel="attachment" href="file:///etc/passwd">'
JINJA = "{{ 7*7 }}"
SCRIPT = "<script>alert(1)</script>"
MARKUP = (ATTACH_A, IMG_FILE, IMG_HTTP, ATTACH_LINK, SCRIPT)
EVERYTHING = " ".join((*MARKUP, JINJA))
#: How Jinja2's autoescape writes each payload (markupsafe: " as &#34;).
ESCAPED = {
    ATTACH_A: "&lt;a rel=&#34;attachment&#34; href=&#34;file:///etc/passwd&#34;&gt;x&lt;/a&gt;",
    IMG_FILE: "&lt;img src=&#34;file:///etc/hostname&#34;&gt;",
    IMG_HTTP: "&lt;img src=&#34;http://127.0.0.1:9/x.png&#34;&gt;",
    ATTACH_LINK: "&lt;link rel=&#34;attachment&#34; href=&#34;file:///etc/passwd&#34;&gt;",
    SCRIPT: "&lt;script&gt;alert(1)&lt;/script&gt;",
}
TITLE = f"Phare {JINJA} {SCRIPT}"
LOG_NAME = f'<img src="x.png">{JINJA}.csv'
PROMPTS = (
    "Phare sous l'orage, goélands au loin " + EVERYTHING,
    "Vague contre la jetée, écume " + EVERYTHING,
)
#: "[redacted: N characters, sha256 <first 12 hex>]", worked out once by hand for PROMPTS.
REDACTED = (
    "[redacted: 244 characters, sha256 7c7693fb4778]",
    "[redacted: 236 characters, sha256 7caaec4a3599]",
)
REDACTED_NEGATIVE = "[redacted: 25 characters, sha256 5c140d35dcb4]"
MATHTEXT_SHOT = r"$\notacommand$ " + JINJA


def _hostile(root: Path) -> Path:
    generations = [
        {
            "platform": "midjourney",
            "modality": "image",
            "created_at": "2026-09-01T10:00:00Z",
            "model": "v7",
            "prompt": PROMPTS[0],
            "negative_prompt": SCRIPT,
            "operator": IMG_HTTP,
            "account": ATTACH_A,
            "outputs": '["SC01_SH010_a.png"]',
        },
        {
            "platform": "kling",
            "modality": "video",
            "created_at": "2026-09-02T10:00:00Z",
            "model": "kling-v2-1",
            "duration_s": "5",
            "prompt": PROMPTS[1],
            "negative_prompt": "",
            "operator": "",
            "account": "",
            "outputs": '["SC01_SH020_b.mp4"]',
        },
    ]
    shots = [
        {"shot_id": "SC01_SH010", "duration_s": "4", "media": "SC01_SH010_a.png"},
        {"shot_id": "SC01_SH020", "duration_s": "3", "media": "SC01_SH020_b.mp4"},
        {"shot_id": IMG_FILE, "duration_s": "2", "media": ATTACH_A},
        {"shot_id": MATHTEXT_SHOT, "duration_s": "1", "media": ""},
    ]
    consent = {"person": f"{JINJA} {ATTACH_LINK}", "kind": "voice", "scope": SCRIPT}
    return write_production(
        root,
        {"title": TITLE, "company": ATTACH_A, "directors": [IMG_FILE],
         "credits": [{"role": ATTACH_LINK, "name": IMG_HTTP}]},
        {LOG_NAME: generations},
        shots,
        [consent | {"territories": "FR", "valid_from": "2026-01-01", "document": IMG_FILE}],
    )  # fmt: skip


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _hostile(tmp_path_factory.mktemp("hostile") / "film")


@pytest.fixture(scope="module")
def watched(hostile: Path) -> tuple[Path, Watch]:
    """The hostile production's fr outputs, rendered with fetcher, files and sockets watched."""
    audit_run = run(hostile, Options(as_of=date(2026, 11, 20)))
    out = hostile.parent / "out"
    with pytest.MonkeyPatch.context() as patch, watching(patch) as watch:
        write_all(audit_run, out, ["fr"], redact_prompts=False)
    return out, watch


def test_attachments_are_exactly_ours(watched: tuple[Path, Watch]) -> None:
    out, _ = watched
    attachments = pypdf.PdfReader(out / "report.pdf").attachments
    assert sorted(attachments) == ["audit.json", "generations.csv", "inputs.csv"]
    assert attachments["audit.json"] == [(out / "audit.json").read_bytes()]
    assert attachments["generations.csv"] == [(out / "generations.csv").read_bytes()]


def test_fetcher_served_only_our_assets(watched: tuple[Path, Watch]) -> None:
    _, watch = watched
    assets = templates_dir().resolve().as_uri()
    assert sorted({u for u in watch.urls if not u.startswith("data:")}) == [
        f"{assets}/fonts/DejaVuSans-Bold.ttf",
        f"{assets}/fonts/DejaVuSans.ttf",
        f"{assets}/paged.css",
        f"{assets}/report.css",
    ]
    charts = {u.split(",", 1)[0] for u in watch.urls if u.startswith("data:")}
    assert charts == {"data:image/svg+xml;base64"}


def test_no_file_outside_ours_opened_and_no_connection(
    watched: tuple[Path, Watch], hostile: Path
) -> None:
    _, watch = watched
    allowed = [
        templates_dir().resolve(),
        hostile.parent.resolve(),  # the production folder and its out/
        Path(tempfile.gettempdir()).resolve(),  # WeasyPrint's copies of our @font-face files
        Path(sys.prefix).resolve(),
        Path(sys.base_prefix).resolve(),  # libraries' own data (ICC profile, Babel locales)
        Path(matplotlib.get_cachedir()).resolve(),  # matplotlib's font list
        *(Path(name).resolve() for name in mimetypes.knownfiles),  # read once by the stdlib
    ]
    outside = [
        p for p in watch.opened if not any(Path(p).resolve().is_relative_to(a) for a in allowed)
    ]
    assert outside == []
    assert not {"/etc/passwd", "/etc/hostname"} & {str(Path(p).resolve()) for p in watch.opened}
    assert watch.connections == []


def test_html_holds_escaped_text_not_markup(watched: tuple[Path, Watch]) -> None:
    out, _ = watched
    html = (out / "report.html").read_text(encoding="utf-8")
    for payload in MARKUP:
        assert payload not in html
        assert ESCAPED[payload] in html
    assert "<script" not in html
    assert "<link" not in html
    assert 'rel="attachment"' not in html
    images = html.split("<img ")[1:]
    assert len(images) == 2  # the two charts, nothing from the data
    assert all(tag.startswith('class="chart" src="data:image/svg+xml;base64,') for tag in images)


def test_jinja_in_data_is_not_evaluated(watched: tuple[Path, Watch]) -> None:
    out, _ = watched
    html = (out / "report.html").read_text(encoding="utf-8")
    assert f"<h1>Phare {JINJA} {ESCAPED[SCRIPT]}</h1>" in html
    assert "Phare 49" not in html
    assert "{{ 7*7 }}.csv" in html  # the log's file name in the appendix
    assert "Phare {{ 7*7 }} <script>alert(1)</script>" in pdf_text(out / "report.pdf")


def test_chart_labels_are_text_not_mathtext(watched: tuple[Path, Watch]) -> None:
    out, _ = watched
    doc = json.loads((out / "audit.json").read_bytes())
    assert MATHTEXT_SHOT in [shot["shot_id"] for shot in doc["shots"]]
    uri = ranged_bars([r"$\frac{1}{2}$", "b"], [1.0, 2.0], [0.5, 1.0], [2.0, 3.0], "kg")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
    assert r"$\frac{1}{2}$" in svg


def test_prompts_are_kept_verbatim_in_generations_csv(watched: tuple[Path, Watch]) -> None:
    out, _ = watched
    rows = read_csv(out / "generations.csv")
    assert [row["prompt"] for row in rows] == list(PROMPTS)
    assert [row["negative_prompt"] for row in rows] == [SCRIPT, ""]


def test_redact_prompts(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "redacted"
    args = ["report", str(hostile), "--out", str(out), "--as-of", "2026-11-20", "--lang", "en"]
    result = CliRunner().invoke(app, [*args, "--redact-prompts"])
    assert result.exit_code == 0, result.output
    rows = read_csv(out / "generations.csv")
    assert [row["prompt"] for row in rows] == list(REDACTED)
    assert [row["negative_prompt"] for row in rows] == [REDACTED_NEGATIVE, ""]
    reader = pypdf.PdfReader(out / "report.pdf")
    attached = reader.attachments["generations.csv"][0]
    assert attached == (out / "generations.csv").read_bytes()
    texts = {
        "generations.csv": attached.decode("utf-8"),
        "audit.json": reader.attachments["audit.json"][0].decode("utf-8"),
        "findings.csv": (out / "findings.csv").read_text(encoding="utf-8"),
        "report.html": (out / "report.html").read_text(encoding="utf-8"),
        "PDF text": pdf_text(out / "report.pdf"),
    }
    for name, text in texts.items():
        for words in ("goélands au loin", "contre la jetée", "alert(1)</script> {{"):
            assert words not in squash(text), f"prompt text in {name}"


def test_fetcher_refuses_markup_that_escaped_the_templates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Defence in depth: raw hostile markup handed straight to WeasyPrint is still refused, each
    refusal returned as a warning (which ``write_all`` turns into a RenderError)."""
    html = (
        f'<html><head><link rel="stylesheet" href="report.css">{ATTACH_LINK}</head>'
        f'<body><p>x</p>{IMG_FILE}{ATTACH_A}{IMG_HTTP}<img src="fonts/../../pyproject.toml">'
        "</body></html>"
    )
    outside = (templates_dir().parent / "pyproject.toml").as_uri()  # exists: ../ is resolved
    ours = Attachment("audit.json", b"{}\n", "Machine-readable audit (Empreinte)", "")
    target = tmp_path / "raw.pdf"
    with watching(monkeypatch) as watch:
        warnings = write_pdf(html, target, [ours], date(2026, 11, 20), b"0" * 32)
    refused = "ValueError: refused by Empreinte's fetcher: "
    assert sorted(warnings) == sorted(
        [
            f"Failed to load attachment: {refused}file:///etc/passwd",
            f"Failed to load attachment: {refused}file:///etc/passwd",
            f"Failed to load image at 'file:///etc/hostname': {refused}file:///etc/hostname",
            f"Failed to load image at '{outside}': {refused}{outside}",
            f"Failed to load image at 'http://127.0.0.1:9/x.png': {refused}http://127.0.0.1:9/x.png",
        ]
    )
    assert pypdf.PdfReader(target).attachments == {"audit.json": [b"{}\n"]}
    assert watch.connections == []
    assert not {"/etc/passwd", "/etc/hostname"} & {str(Path(p).resolve()) for p in watch.opened}
