"""compare: reading audit.json of any 1.x schema, figures, overlaps, anonymisation, rendering."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from pypdf import PdfReader

from audit.base.errors import ConfigError
from audit.base.i18n import gettext
from audit.tools.compare import anonymized, entry, load_entries, overlaps, read_audit
from audit.tools.compare_report import build_context, render_html
from estimators.ranges import Range
from tests.compare.cli_support import empreinte


def _ranges(low: float, central: float, high: float) -> dict[str, dict[str, float]]:
    return {
        q: {"low": low * k, "central": central * k, "high": high * k}
        for q, k in (("energy_wh", 1.0), ("carbon_g", 0.5), ("water_l", 0.01))
    }


def minimal(**changes: Any) -> dict[str, Any]:
    """The smallest audit.json compare reads: runtime 120 s, 2 of 3 picture shots kept."""
    doc: dict[str, Any] = {
        "schema": "empreinte.audit",
        "schema_version": "1.0",
        "generator": {"name": "empreinte", "version": "0.1.0", "data_version": "2026.11.0"},
        "as_of": "2026-11-20",
        "inputs_sha256": "0" * 64,
        "production": {"title": "Film", "company": "Co", "directors": ["Ann"], "runtime_s": 120},
        "footprint": {
            "totals": _ranges(200.0, 400.0, 600.0),
            "per_finished_minute": _ranges(100.0, 200.0, 300.0),
            "per_kept_second": _ranges(10.0, 20.0, 30.0),
            "generations": 13, "outputs": 20, "kept_outputs": 4,
            "by_platform": [{"platform": "kling", "energy_wh_central": 300.0},
                            {"platform": "suno", "energy_wh_central": 100.0}],
            "by_modality": [{"modality": "video", "energy_wh_central": 400.0}],
        },
        "shots": [
            {"kind": "picture", "kept": 1, "generations": 4},
            {"kind": "picture", "kept": 2, "generations": 6},
            {"kind": "picture", "kept": 0, "generations": 3},
            {"kind": "audio", "kept": 1, "generations": 5},
        ],
        "findings": [{"severity": "blocker"}, {"severity": "info"}, {"severity": "info"}],
    }  # fmt: skip
    doc.update(changes)
    return doc


def _file(tmp_path: Path, doc: Any, name: str = "audit.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_entry_reads_the_figures(tmp_path: Path) -> None:
    path = _file(tmp_path, minimal())
    item = entry(read_audit(path), path, "A")
    assert item.per_minute["energy_wh"] == Range(100.0, 200.0, 300.0)
    assert item.per_kept_second["carbon_g"] == Range(5.0, 10.0, 15.0)
    assert (item.kept_shots, item.generations_per_kept_shot) == (2, 5.0)  # (4 + 6) / 2
    assert item.discard_ratio == 5.0  # 20 outputs / 4 kept
    assert item.platform_mix == {"kling": 0.75, "suno": 0.25}
    assert item.severities == {"blocker": 1, "warning": 0, "info": 2}
    assert item.people == ("Ann",)


@pytest.mark.parametrize("version", ["1.0", "1.7", "1.12"])
def test_every_minor_of_major_1_is_read(tmp_path: Path, version: str) -> None:
    path = _file(tmp_path, minimal(schema_version=version))
    assert read_audit(path)["schema_version"] == version


@pytest.mark.parametrize("version", ["2.0", "0.9", "1", "one", None])
def test_other_schema_versions_get_a_clear_error(tmp_path: Path, version: Any) -> None:
    path = _file(tmp_path, minimal(schema_version=version))
    with pytest.raises(ConfigError) as err:
        read_audit(path)
    assert str(err.value) == (
        f"{path}:/schema_version: schema_version: unsupported schema version: this Empreinte "
        "reads audit.json 1.x (re-run empreinte report with a matching Empreinte version)"
        + ("" if version is None else f" (got {version!r})")
        + "; allowed: 1.x"
    )
    assert err.value.exit_code == 2


def test_not_an_audit(tmp_path: Path) -> None:
    path = _file(tmp_path, {"schema": "other"})
    with pytest.raises(ConfigError, match=r":/schema: schema: not an Empreinte audit.json"):
        read_audit(path)
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "schema": ', encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"{bad}:2: not valid JSON: Expecting value")):
        read_audit(bad)


def test_missing_and_mistyped_fields_name_their_pointer(tmp_path: Path) -> None:
    doc = minimal()
    del doc["footprint"]["per_kept_second"]["water_l"]["high"]
    path = _file(tmp_path, doc)
    with pytest.raises(ConfigError) as err:
        load_entries([path])
    assert str(err.value) == f"{path}:/footprint/per_kept_second/water_l/high: high: missing field"
    doc = minimal()
    doc["footprint"]["generations"] = "many"
    path = _file(tmp_path, doc)
    with pytest.raises(ConfigError) as err:
        load_entries([path])
    assert str(err.value) == f"{path}:/footprint/generations: expected a number (got 'many')"


def test_overlap_pairs(tmp_path: Path) -> None:
    low = minimal()
    high = minimal()
    high["footprint"]["per_finished_minute"] = _ranges(301.0, 400.0, 500.0)
    items = load_entries([_file(tmp_path, low, "a.json"), _file(tmp_path, high, "b.json")])
    found = {(o.quantity, o.overlap, o.ratio) for o in overlaps(items)}
    assert found == {("energy_wh", False, 2.0), ("carbon_g", False, 2.0), ("water_l", False, 2.0)}
    high["footprint"]["per_finished_minute"] = _ranges(300.0, 400.0, 500.0)  # touches 300
    items = load_entries([_file(tmp_path, low, "a.json"), _file(tmp_path, high, "b.json")])
    assert all(o.overlap for o in overlaps(items))


def test_example_with_two_variants(audits: dict[str, Path]) -> None:
    items = load_entries([audits["example"], audits["france"], audits["other"]])
    assert [(e.label, e.title, e.schema_version) for e in items] == [
        ("A", "Le Dernier Phare", "1.2"),
        ("B", "Le Dernier Phare", "1.2"),
        ("C", "Les Grandes Marées", "1.3"),
    ]
    assert items[1].whatif == "region=FRA"
    assert (items[0].generations, items[0].kept_shots) == (591, 13)
    told = {(o.first, o.second, o.quantity): o.overlap for o in overlaps(items)}
    # France: same energy, far less carbon; C: every figure tripled.
    assert told[("A", "B", "energy_wh")] is True
    assert told[("A", "B", "carbon_g")] is False
    assert told[("A", "C", "energy_wh")] is False
    assert items[2].per_minute["energy_wh"].central == pytest.approx(
        3 * items[0].per_minute["energy_wh"].central
    )


def test_compare_sentences_in_both_languages(audits: dict[str, Path]) -> None:
    items = load_entries([audits["example"], audits["france"], audits["other"]])
    english = render_html(items, "en", anonymize=False, standalone=False)
    assert "Energy: A and B cannot be told apart (their ranges overlap)." in english
    assert "Carbon: B is lower than A (0.15 times the central value)" in english
    assert "Energy: C is higher than A (3.0 times the central value)" in english
    assert "Water: A and B cannot be told apart (their ranges overlap)." in english
    assert english.count("cannot be told apart (their") == 2  # A–B energy and water only
    french = render_html(items, "fr", anonymize=False, standalone=True)
    sentence = gettext("fr", "%(quantity)s: %(first)s and %(second)s cannot be told apart "
                       "(their ranges overlap).")  # fmt: skip
    expected = sentence % {"quantity": "Énergie", "first": "A", "second": "B"}
    assert str(escape(expected)) in french
    assert "<style>" in french  # report.html: our stylesheet inlined


@pytest.mark.slow
def test_compare_command_writes_pdf_html_csv(audits: dict[str, Path], tmp_path: Path) -> None:
    done = empreinte("compare", audits["example"], audits["france"], audits["other"],
                     "--out", tmp_path, "--lang", "fr", "--lang", "en")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [Path(line).name for line in done.stdout.splitlines()] == [
        "compare.csv", "compare.en.html", "compare.en.pdf", "compare.html", "compare.pdf",
    ]  # fmt: skip
    rows = (tmp_path / "compare.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 4
    assert rows[0].startswith("label,title,company,whatif,schema_version,data_version,as_of")
    reader = PdfReader(tmp_path / "compare.en.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Les Grandes Marées" in text
    assert "region=FRA" in text
    assert list(reader.attachments) == ["compare.csv"]


def test_compare_command_refuses_another_major(tmp_path: Path) -> None:
    path = _file(tmp_path, minimal(schema_version="2.1"))
    done = empreinte("compare", path, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert done.stderr == (
        f"empreinte: error: {path}:/schema_version: schema_version: unsupported schema version: "
        "this Empreinte reads audit.json 1.x (re-run empreinte report with a matching Empreinte "
        "version) (got '2.1'); allowed: 1.x\n"
    )
    assert not (tmp_path / "out").exists()


def test_context_figures_share_one_unit(audits: dict[str, Path]) -> None:
    items = load_entries([audits["example"], audits["other"]])
    carbon = build_context(items, "en", False).figures.per_minute[1]
    assert carbon.unit == "kg CO₂e"
    central = [float(r.central) for r in carbon.rows]
    assert central[1] == pytest.approx(3 * central[0], rel=0.01)


#: Every name of the example and of production C, in the forms they take in files.
NAMES = [
    "Le Dernier Phare", "Dernier", "Phare", "dernier-phare", "Inès Morvan", "Morvan",
    "Théo Kerbrat", "Kerbrat", "Collectif Marée Basse", "Marée Basse", "marebasse",
    "Guivarc", "Maël Tanguy", "Tanguy", "Yann Le Goff", "Le Goff", "le-goff",
    "Grandes Marées", "Atelier Suroît", "Suroît", "Quéméner",
]  # fmt: skip


@pytest.mark.slow
def test_anonymize_leaves_no_name_in_any_output(audits: dict[str, Path], tmp_path: Path) -> None:
    items = anonymized(load_entries([audits["example"], audits["france"], audits["other"]]))
    assert [(e.title, e.company) for e in items] == [
        ("Production A", "Company A"), ("Production A", "Company A"),
        ("Production C", "Company C"),
    ]  # fmt: skip
    assert items[0].people == ("Person 1", "Person 2", "Person 3", "Person 4", "Person 5",
                               "Company A")  # fmt: skip
    assert items[2].people == ("Person 6",)
    done = empreinte("compare", audits["example"], audits["france"], audits["other"],
                     "--anonymize", "--out", tmp_path, "--lang", "fr", "--lang", "en")  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = sorted(tmp_path.iterdir())
    assert len(written) == 5
    for path in written:
        texts = [path.read_bytes().decode("utf-8", errors="replace")]
        if path.suffix == ".pdf":
            reader = PdfReader(path)
            texts += [page.extract_text() for page in reader.pages]
            texts.append(str(reader.metadata))
            texts += [data.decode() for files in reader.attachments.values() for data in files]
        assert "Production A" in texts[-1] or path.suffix == ".pdf"
        for text in texts:
            for name in NAMES:
                assert name.lower() not in text.lower(), f"{name!r} in {path.name}"


def test_untrusted_titles_are_escaped(tmp_path: Path) -> None:
    doc = minimal()
    doc["production"]["title"] = "$5 <script>alert(1)</script> & co $"
    items = load_entries([_file(tmp_path, doc)])
    html = render_html(items, "en", anonymize=False, standalone=False)
    assert "<script>" not in html
    assert "$5 &lt;script&gt;alert(1)&lt;/script&gt; &amp; co $" in html
    chart = build_context(items, "en", False).charts.carbon
    svg = base64.b64decode(chart.removeprefix("data:image/svg+xml;base64,")).decode()
    assert "A · $5 &lt;script&gt;alert(1)&lt;/script&gt;</text>" in svg  # 28 characters, literal
