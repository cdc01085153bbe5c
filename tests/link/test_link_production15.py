"""Issue 15: on productions made the way users make them (tests/link/production15.py, each
platform's own format), every kept take and its ancestors are found, and every planted rights
problem is reported with its evidence (file and line), whether the generation is proven to be in
the film or only possibly in it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from audit.link.names import shot_id_in
from audit.pipeline import AuditRun, Options, run
from audit.rights import Finding
from tests.link.production15 import Made, make_production

TO_VERIFY = "To verify: not proven to be in the film."
SEEDS = (1, 2, 5, 7, 42)


@pytest.fixture(scope="module", params=SEEDS)
def made_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Made, AuditRun]:
    root = tmp_path_factory.mktemp(f"production15-{request.param}")
    made = make_production(root, seed=request.param)
    return made, run(root, Options(as_of=date(2026, 11, 20)))


def _located(item: Finding, gen_id: str) -> bool:
    """The finding names the generation with its file and line (or JSON pointer)."""
    return any(line.startswith(f"{gen_id} (logs/") and ":" in line for line in item.evidence)


def _findings(result: AuditRun, code: str) -> list[Finding]:
    return [f for f in result.findings if f.code == code]


def test_every_kept_take_and_its_ancestors_are_found(made_run: tuple[Made, AuditRun]) -> None:
    made, result = made_run
    shots = {link.shot_id: link for link in result.link.shots}
    use = result.link.use_by_id()
    for raw, kept in made.kept.items():
        link = shots[shot_id_in(raw) or raw]
        assert link.kept_ids == (kept,)
        assert set(link.ancestor_ids) == made.ancestors[raw]
        assert not link.unresolved
        assert {use[kept], *(use[a] for a in made.ancestors[raw])} == {"in_film"}
    assert "user_name" in {key for link in shots.values() for key in link.join_keys}


def test_a_clip_without_shot_id_takes_its_kept_generations_shot(
    made_run: tuple[Made, AuditRun],
) -> None:
    made, result = made_run
    sora_shot = made.shots[-1]
    link = next(s for s in result.link.shots if s.kept_ids == (made.kept[sora_shot],))
    assert link.shot_id == shot_id_in(sora_shot)
    assert link.clip_names[0].startswith("video_")


def test_unresolved_shot_lists_its_candidates(made_run: tuple[Made, AuditRun]) -> None:
    made, result = made_run
    use = result.link.use_by_id()
    ((raw, candidates),) = made.unresolved.items()
    link = next(s for s in result.link.shots if s.shot_id == shot_id_in(raw))
    assert link.unresolved
    assert link.kept_ids == ()
    assert candidates <= set(link.attempt_ids)
    assert {use[c] for c in candidates} == {"possibly_in_film"}
    shot_row = result.aggregates.by_shot.set_index("shot_id").loc[link.shot_id]
    assert shot_row["energy_wh_central"] > 0  # the footprint still counts the candidates


def test_picture_only_cut_leaves_sound_possibly_in_the_film(
    made_run: tuple[Made, AuditRun],
) -> None:
    _made, result = made_run
    use = result.link.use_by_id()
    sound = [g for g in use if g.startswith(("suno:", "elevenlabs:"))]
    assert sound
    assert {use[g] for g in sound} == {"possibly_in_film"}
    assert result.link.audio_unchecked
    assert sum("no audio track" in line for line in result.link.warnings) == 1


def test_actor_cref_on_the_kept_image(made_run: tuple[Made, AuditRun]) -> None:
    made, result = made_run
    found = [
        f for f in _findings(result, "CONSENT002")
        if made.planted.cref_job in f.generation_ids and f.use == "in_film"
    ]  # fmt: skip
    assert len(found) == 1
    assert found[0].severity == "blocker"
    assert _located(found[0], made.planted.cref_job)
    assert any(line.startswith("rights/sources.csv:") for line in [found[0].params["where"]])


def test_living_artist_in_a_kept_ancestor_prompt(made_run: tuple[Made, AuditRun]) -> None:
    made, result = made_run
    found = [
        f for f in _findings(result, "CLEAR001")
        if f.params.get("name") == made.planted.style_artist and f.use == "in_film"
    ]  # fmt: skip
    assert len(found) == 1
    assert found[0].severity == "warning"
    assert _located(found[0], made.planted.style_job)


def test_free_plan_music_is_reported_to_verify(made_run: tuple[Made, AuditRun]) -> None:
    made, result = made_run
    found = [f for f in _findings(result, "TERMS001") if f.severity == "blocker"]
    assert len(found) == 1
    item = found[0]
    assert set(item.generation_ids) == set(made.planted.suno_ids)
    assert item.use == "possibly_in_film"
    assert item.message.endswith(TO_VERIFY)
    assert all(_located(item, gid) for gid in made.planted.suno_ids)
    assert "rights/plans.csv:6" in item.evidence


def test_voice_consent_ending_before_release(made_run: tuple[Made, AuditRun]) -> None:
    made, result = made_run
    found = [
        f for f in _findings(result, "CONSENT003")
        if f.severity == "blocker" and made.planted.consent_row in f.evidence
    ]  # fmt: skip
    assert len(found) == 1
    assert "ends on 2027-01-31, before the release" in found[0].message


def test_brand_on_candidates_of_an_unresolved_shot(made_run: tuple[Made, AuditRun]) -> None:
    made, result = made_run
    found = [
        f for f in _findings(result, "CLEAR001")
        if f.params.get("name") == "Coca-Cola" and f.use == "possibly_in_film"
    ]  # fmt: skip
    assert len(found) == 1
    assert found[0].severity == "warning"
    assert set(made.planted.brand_takes) <= set(found[0].generation_ids)
    assert found[0].message.endswith(TO_VERIFY)
    assert all(_located(found[0], gid) for gid in made.planted.brand_takes)


def test_unused_generations_are_information_only(made_run: tuple[Made, AuditRun]) -> None:
    _, result = made_run
    use = result.link.use_by_id()
    unused = [f for f in result.findings if f.use == "not_in_film"]
    assert unused, "the rerolls carry the same cref and style: they must be reported as info"
    for item in unused:
        assert item.severity == "info"
        assert {use[g] for g in item.generation_ids} == {"not_in_film"}


def test_every_platform_format_was_read(made_run: tuple[Made, AuditRun]) -> None:
    _, result = made_run
    adapters = {f.adapter for f in result.ingest.files if f.accepted}
    assert {"midjourney", "kling", "openai", "elevenlabs", "suno"} <= adapters
    assert not result.ingest.rejects


def test_written_files_stay_in_their_folder(tmp_path: Path) -> None:
    made = make_production(tmp_path / "p", seed=3)
    written = sorted(p.relative_to(made.root).parts[0] for p in made.root.rglob("*") if p.is_file())
    assert set(written) == {"logs", "production.yaml", "rights", "timeline"}


def test_linking_quality_names_what_is_unexplained(made_run: tuple[Made, AuditRun]) -> None:
    from audit.base.i18n import Formatter
    from audit.report.linking import linking_context, linking_document

    made, result = made_run
    doc = linking_document(result)
    ((raw, _),) = made.unresolved.items()
    assert doc["unresolved_shots"] == [shot_id_in(raw)]
    assert [(u["shot_id"], u["advice"]) for u in doc["unexplained"]] == [
        (shot_id_in(raw), "unresolved")
    ]
    assert 0 < doc["explained_share"] < 1
    assert doc["explained_s"] == pytest.approx(sum(doc["explained_s_by_key"].values()))
    assert doc["audio_unchecked"]
    assert doc["use_status"]["possibly_in_film"] > 0
    french = linking_context(result, Formatter("fr"))
    assert "ses candidates" in french.unexplained[0].advice
    assert [c.shot for c in french.unexplained[0].clips] == [shot_id_in(raw)]
    assert french.unexplained_more == ""
