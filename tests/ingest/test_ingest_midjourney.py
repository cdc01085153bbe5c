"""Midjourney: archive JSON in its three wrappings, full_command parsing, and PNG merge."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from audit.base.models import AssetRef, Modality
from audit.ingest.base import Reject
from audit.ingest.midjourney import parse_command
from audit.ingest.walk import ingest_files
from tests.ingest.ingest_support import GenIndex, PngMaker, Reader

GRID = "11111111-aaaa-4bbb-8ccc-000000000001"
UPSCALE = "11111111-aaaa-4bbb-8ccc-000000000002"
VARIATION = "11111111-aaaa-4bbb-8ccc-000000000003"
CDN = "https://cdn.midjourney.com"


def test_parse_command_splits_prompt_references_and_parameters() -> None:
    cmd = parse_command(
        "https://s.mj.run/a <https://cdn.example/b.png> a keeper, storm --ar 16:9 --v 7 "
        "--seed 123 --s 250 --no text, watermark --sref https://x.example/1.png "
        "https://x.example/2.png --cref https://x.example/c.jpg --raw"
    )
    assert cmd.prompt == "a keeper, storm"
    assert cmd.version == "7"
    assert cmd.seed == 123
    assert cmd.negative == "text, watermark"
    assert cmd.refs == [
        AssetRef(uri="https://s.mj.run/a", role="image_prompt"),
        AssetRef(uri="https://cdn.example/b.png", role="image_prompt"),
        AssetRef(uri="https://x.example/1.png", role="sref"),
        AssetRef(uri="https://x.example/2.png", role="sref"),
        AssetRef(uri="https://x.example/c.jpg", role="cref"),
    ]
    assert cmd.attributes == {"aspect_ratio": "16:9", "stylize": "250", "raw": True}


def test_parse_command_niji_oref_and_sref_codes() -> None:
    cmd = parse_command("gulls --niji 6 --oref https://x.example/o.png --sref 2468 --q 2")
    assert (cmd.prompt, cmd.version, cmd.seed) == ("gulls", "niji 6", None)
    assert cmd.refs == [AssetRef(uri="https://x.example/o.png", role="oref")]
    assert cmd.attributes == {"sref_codes": "2468", "quality": "2"}


def test_archive_grid_upscale_variation(read: Reader, gens: GenIndex) -> None:
    items = read("midjourney", "midjourney/archive.json")
    found = gens(items)
    assert len(items) == 3
    grid = found[f"midjourney:{GRID}"]
    assert grid.created_at == datetime(2026, 9, 14, 10, 22, 31, 123456, tzinfo=UTC)
    assert (grid.modality, grid.task) == (Modality.image, "image_to_image")
    assert (grid.model, grid.model_version, grid.seed) == ("midjourney", "7", 123)
    assert (grid.width, grid.height, grid.outputs_count) == (1456, 816, 4)
    assert grid.outputs == [f"{CDN}/{GRID}/0_{i}.png" for i in range(4)]
    assert [ref.role for ref in grid.inputs] == [
        "image_prompt", "image_prompt", "sref", "sref", "cref",
    ]  # fmt: skip
    assert grid.prompt == "an old lighthouse keeper in a storm"
    assert grid.negative_prompt == "text, watermark"
    assert (grid.account, grid.source_locator) == ("marebasse", "/0")
    upscale = found[f"midjourney:{UPSCALE}"]
    assert (upscale.modality, upscale.task, upscale.outputs_count) == (
        Modality.upscale,
        "upscale",
        1,
    )
    assert upscale.outputs == [f"{CDN}/{UPSCALE}/0_0.png"]
    assert upscale.parent_ids == [f"midjourney:{GRID}"]
    assert upscale.inputs[-1] == AssetRef(uri=f"{CDN}/{GRID}/0_2.png", role="parent")
    assert (upscale.width, upscale.height) == (2912, 1632)
    assert upscale.attributes["parent_grid"] == 2
    variation = found[f"midjourney:{VARIATION}"]
    assert (variation.modality, variation.task, variation.outputs_count) == (
        Modality.image, "variation", 4,
    )  # fmt: skip
    assert variation.parent_ids == [f"midjourney:{GRID}"]


def test_jsonl_skips_marker_line_and_wrapped_jobs(read: Reader, gens: GenIndex) -> None:
    jsonl = read("midjourney", "midjourney/jobs.jsonl")
    assert len(jsonl) == 1
    niji = gens(jsonl)["midjourney:22222222-aaaa-4bbb-8ccc-000000000001"]
    assert (niji.source_locator, niji.model_version, niji.task) == ("2", "niji 6", "text_to_image")
    assert niji.inputs == [AssetRef(uri="https://cdn.example/oref/gull.png", role="oref")]
    wrapped = gens(read("midjourney", "midjourney/wrapped.json"))
    bell = wrapped["midjourney:33333333-aaaa-4bbb-8ccc-000000000001"]
    assert bell.source_locator == "/jobs/0"
    assert bell.created_at == datetime(2026, 9, 16, 9, 0, 0, 500000, tzinfo=UTC)


def _archive_png(make_png: PngMaker, folder: Path, job_id: str, index: int) -> Path:
    command = "an old lighthouse keeper in a storm --ar 16:9 --v 7 --seed 123"
    name = f"marebasse_an_old_lighthouse_keeper_{job_id}_{index}.png"
    return make_png(
        folder / name,
        {"Description": f"{command} Job ID: {job_id}", "Author": "marebasse"},
        time=(2026, 9, 14, 11, 0, 5),
    )


def test_png_alone(tmp_path: Path, make_png: PngMaker, read: Reader, gens: GenIndex) -> None:
    png = _archive_png(make_png, tmp_path, GRID, 1)
    found = gens(read("midjourney", png.name, root=tmp_path))
    job = found[f"midjourney:{GRID}"]
    assert job.created_at == datetime(2026, 9, 14, 11, 0, 5, tzinfo=UTC)
    assert job.outputs == [f"{CDN}/{GRID}/0_1.png"]
    assert (job.account, job.seed, job.source_locator) == ("marebasse", 123, "tEXt:Description")
    assert job.attributes["downloaded_file"] == png.name


def test_png_merges_into_archive_record(tmp_path: Path, make_png: PngMaker, fixtures: Path) -> None:
    shutil.copy(fixtures / "midjourney" / "archive.json", tmp_path / "archive.json")
    png = _archive_png(make_png, tmp_path / "png", GRID, 1)
    result = ingest_files(tmp_path, [png, tmp_path / "archive.json"])
    assert result.totals()["accepted"] == 3
    assert result.totals()["merged"] == 1
    reports = {f.name: (f.adapter, f.accepted, f.merged) for f in result.files}
    assert reports[f"png/{png.name}"] == ("midjourney", 0, 1)
    grid = next(g for g in result.generations if g.id == f"midjourney:{GRID}")
    assert (grid.outputs_count, grid.source_file) == (4, "archive.json")


def test_png_without_job_id_is_rejected(tmp_path: Path, make_png: PngMaker, read: Reader) -> None:
    png = make_png(tmp_path / "x.png", {"Description": "a prompt --v 7 Job ID: unknown"})
    (item,) = read("midjourney", png.name, root=tmp_path)
    assert isinstance(item, Reject)
    assert (item.locator, item.field, item.reason) == (
        "tEXt:Description", "Description", "no 'Job ID: <uuid>'",
    )  # fmt: skip


def test_png_with_rfc1123_creation_time_and_its_pixel_size(
    tmp_path: Path, make_png: PngMaker, read: Reader, gens: GenIndex
) -> None:
    """A PNG downloaded from midjourney.com: Description, Author and a ``Creation Time`` chunk in
    RFC 1123 (shape seen in peterkaminski's Midjourney exiftool notes and in metadata parsers'
    ``midjourney_style_text_chunks`` rules: Description '<prompt> --ar 2:1 --v 6 Job ID: <uuid>')."""
    command = "lighthouse at dusk --ar 16:9 --sref 1234 --personalize --v 7"
    png = make_png(
        tmp_path / f"marebasse_lighthouse_at_dusk_{GRID}_2.png",
        {
            "Description": f"{command} Job ID: {GRID}",
            "Author": "marebasse",
            "Creation Time": "Thu, 20 Jun 2024 22:50:03 GMT",
        },
    )
    job = gens(read("midjourney", png.name, root=tmp_path))[f"midjourney:{GRID}"]
    assert job.created_at == datetime(2024, 6, 20, 22, 50, 3, tzinfo=UTC)
    assert "created_at_source" not in job.attributes
    assert (job.width, job.height) == (16, 9)  # the image header, as make_png writes it
    assert (job.prompt, job.model_version) == ("lighthouse at dusk", "7")
    assert job.attributes["aspect_ratio"] == "16:9"
    assert job.attributes["sref_codes"] == "1234"
    assert job.attributes["personalize"] is True
    assert job.outputs == [f"{CDN}/{GRID}/0_2.png"]


def test_png_with_unreadable_creation_time_names_the_forms(
    tmp_path: Path, make_png: PngMaker, read: Reader
) -> None:
    png = make_png(
        tmp_path / "x.png",
        {"Description": f"a prompt Job ID: {GRID}", "Creation Time": "the other day"},
    )
    (item,) = read("midjourney", png.name, root=tmp_path)
    assert isinstance(item, Reject)
    assert (item.locator, item.field) == ("tEXt:Creation Time", "Creation Time")
    assert "RFC 1123" in item.reason


def test_scraper_archive_keyed_by_job_id(tmp_path: Path, gens: GenIndex) -> None:
    """Users' own scrapers save ``{<job id>: {id, prompt, image_url, url}}`` (the shape named in
    issue 23); written here with invented jobs."""
    second = "22222222-bbbb-4ccc-8ddd-000000000002"
    archive = {
        GRID: {
            "id": GRID,
            "prompt": "an old lighthouse keeper in a storm --ar 16:9 --v 7",
            "image_url": f"{CDN}/{GRID}/0_0.png",
            "url": f"https://www.midjourney.com/jobs/{GRID}?index=0",
        },
        second: {
            "prompt": "gulls over the jetty --niji 6",
            "image_url": f"{CDN}/{second}/0_3.png",
            "url": f"https://www.midjourney.com/jobs/{second}?index=3",
        },
    }
    path = tmp_path / "mj_archive.json"
    path.write_text(json.dumps(archive, indent=1), encoding="utf-8")
    result = ingest_files(tmp_path, [path])
    assert [(f.adapter, f.accepted, f.rejected) for f in result.files] == [("midjourney", 2, 0)]
    found = gens(list(result.generations))
    keeper = found[f"midjourney:{GRID}"]
    assert (keeper.prompt, keeper.model_version) == ("an old lighthouse keeper in a storm", "7")
    assert keeper.outputs == [f"{CDN}/{GRID}/0_0.png"]
    assert keeper.source_locator == f"/{GRID}"
    assert keeper.attributes["created_at_source"] == "file_mtime"
    assert keeper.attributes["page_url"].startswith("https://www.midjourney.com/jobs/")
    gulls = found[f"midjourney:{second}"]  # no "id" inside: the key is the job id
    assert (gulls.model_version, gulls.outputs) == ("niji 6", [f"{CDN}/{second}/0_3.png"])


def test_older_recent_jobs_form_with_prompt_and_image_paths(tmp_path: Path) -> None:
    """The earlier recent-jobs API form: ``prompt`` and ``image_paths`` instead of full_command
    (fields read by NickyReid/midjourney-image-downloader download.py and
    nadjioussama/Scraping-Midjourney-Showcase-page midjourney.py)."""
    jobs = [
        {
            "id": GRID,
            "prompt": "an old lighthouse keeper in a storm --ar 3:2",
            "image_paths": [f"{CDN}/{GRID}/0_{i}.png" for i in range(4)],
            "enqueue_time": "2023-03-02 17:41:09.718000",
            "type": "grid",
        }
    ]
    path = tmp_path / "recent.json"
    path.write_text(json.dumps(jobs), encoding="utf-8")
    result = ingest_files(tmp_path, [path])
    (job,) = result.generations
    assert job.adapter == "midjourney"
    assert job.created_at == datetime(2023, 3, 2, 17, 41, 9, 718000, tzinfo=UTC)
    assert job.outputs == [f"{CDN}/{GRID}/0_{i}.png" for i in range(4)]
    assert job.outputs_count == 4
    assert "created_at_source" not in job.attributes


def test_discord_relay_tasks(tmp_path: Path) -> None:
    """midjourney-proxy's task objects {action, description, failReason, finishTime, id,
    imageUrl, progress, prompt, promptEn, properties, startTime, state, status, submitTime}, as
    public clients type its fetch answer (FetchRes); the job id sits in the Discord attachment's
    file name. Values are our own."""
    tasks = [
        {"id": "1748339029401828", "action": "IMAGINE", "prompt": "phare dans la tempête",
         "promptEn": "a lighthouse in a storm --ar 16:9 --v 6.1", "description": "/imagine ...",
         "state": "", "status": "SUCCESS", "progress": "100%", "failReason": None,
         "submitTime": 1718923800000, "startTime": 1718923803000, "finishTime": 1718923863000,
         "imageUrl": "https://cdn.discordapp.com/attachments/1/2/marebasse_a_lighthouse_in_a_storm_"
                     f"{GRID}.png", "properties": {"finalPrompt": "a lighthouse in a storm --ar 16:9 --v 6.1"}},
        {"id": "1748339029401829", "action": "UPSCALE", "prompt": "", "promptEn": "",
         "status": "IN_PROGRESS", "progress": "40%", "submitTime": 1718923900000,
         "startTime": 1718923901000, "finishTime": None, "imageUrl": None, "properties": {}},
        {"id": "1748339029401830", "action": "IMAGINE", "prompt": "x", "promptEn": "x",
         "status": "FAILURE", "failReason": "Banned prompt", "submitTime": 1718924000000,
         "imageUrl": None},
    ]  # fmt: skip
    path = tmp_path / "mj-proxy-tasks.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    result = ingest_files(tmp_path, [path])  # strict
    found = {g.id: g for g in result.generations}
    grid = found[f"midjourney:{GRID}"]
    assert (grid.modality, grid.task, grid.model_version) == (
        Modality.image,
        "text_to_image",
        "6.1",
    )
    assert (grid.prompt, grid.attributes["aspect_ratio"]) == ("a lighthouse in a storm", "16:9")
    assert grid.created_at == datetime(2024, 6, 20, 22, 50, tzinfo=UTC)
    assert grid.attributes["elapsed_s"] == 60.0
    assert grid.attributes["relay_task_id"] == "1748339029401828"
    upscale = found["midjourney:proxy-1748339029401829"]
    assert (upscale.modality, upscale.status, upscale.outputs) == (Modality.upscale, "pending", [])
    failed = found["midjourney:proxy-1748339029401830"]
    assert (failed.status, failed.attributes["fail_reason"]) == ("failed", "Banned prompt")


def test_webp_served_under_a_png_name_is_explained(tmp_path: Path) -> None:
    """cdn.midjourney.com/<job>/0_<n>.png answers WEBP (monomadic/config bin/midjourney-dl.py
    fetches .webp from the same paths): saved as .png, it is unclaimed with its reason."""
    path = tmp_path / f"{GRID}_0.png"
    Image.new("RGB", (16, 9), (20, 40, 70)).save(path, format="WEBP")
    result = ingest_files(tmp_path, [path])  # strict: an unread image does not stop the run
    (line,) = result.unclaimed_lines()
    assert line.startswith(f"{path.name}: a WEBP image under a .png name: image with no generation")
    assert "Midjourney's CDN serves WEBP under .png links" in line
    assert "download the image from midjourney.com" in line


@pytest.mark.parametrize("kind", ["zTXt", "iTXt", "after-xmp"])
def test_png_sniffed_whatever_its_description_chunk(
    tmp_path: Path, make_png: PngMaker, kind: str
) -> None:
    """The Description may be compressed (zTXt, iTXt: a prompt in any script) or come after a
    large XMP packet (beyond the first bytes sniffed): the chunk is found by walking headers."""
    description = f"phare — 灯台 --v 7 Job ID: {GRID}"
    name = f"x_{GRID}_0.png"
    if kind == "zTXt":
        png = make_png(
            tmp_path / name, {}, ztxt={"Description": "lighthouse --v 7 Job ID: " + GRID}
        )
    else:
        info = PngInfo()
        if kind == "after-xmp":
            info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>" + " " * 20000 + "</x:xmpmeta>")
        info.add_itxt("Description", description, zip=kind == "iTXt")
        png = tmp_path / name
        Image.new("RGB", (16, 9)).save(png, format="PNG", pnginfo=info)
    result = ingest_files(tmp_path, [png])
    (gen,) = result.generations
    assert (gen.id, gen.adapter) == (f"midjourney:{GRID}", "midjourney")
