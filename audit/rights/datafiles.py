"""Empreinte's rights data files read into their models (:mod:`audit.rights.knowledge`), once each:
``data/platform_terms.yaml``, ``data/lists/*.yaml``, ``data/training_claims.yaml`` and
``data/rights_sources.yaml``. A file that cannot be read, an entry its model refuses or a cited
source that does not resolve is a :class:`~audit.base.errors.DataError` naming the file: a bug in
our data, not in the user's input."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from audit.base.errors import ConfigError, DataError
from audit.base.resources import data_file
from audit.ingest.platforms import platform_lines
from audit.ingest.registry import platforms
from audit.rights.knowledge import NameList, PlatformTerms, RightsSource, Terms, TrainingClaims
from estimators.readers import safe_yaml


def _read_yaml(path: Path) -> Any:
    try:
        return safe_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc


M = TypeVar("M", bound=BaseModel)


def _validate(model: type[M], raw: Any, path: Path) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"])
        raise DataError(f"{path}: {where}: {err['msg']} (got {err.get('input')!r})") from exc


def _cited(terms: Terms) -> list[str]:
    ids: list[str] = []
    for platform in terms.platforms.values():
        for tier in platform.tiers:
            ids += tier.sources
        if platform.revenue_rule:
            ids += platform.revenue_rule.sources
    for licence in terms.models:
        ids += licence.sources
    return ids


def _check_cited(ids: list[str], path: Path) -> None:
    known = rights_sources()
    for source_id in ids:
        if source_id not in known:
            raise DataError(f"{path}: source {source_id!r} is not in data/rights_sources.yaml")


@cache
def rights_sources(path: Path | None = None) -> dict[str, RightsSource]:
    """``data/rights_sources.yaml``: source id → title, url, year, confidence."""
    path = path or data_file("rights_sources.yaml")
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise DataError(f"{path}: expected a mapping of source ids")
    return {key: _validate(RightsSource, value, path) for key, value in sorted(raw.items())}


def _check_keys(terms: Terms, path: Path) -> None:
    """Every entry is the terms of a platform of the registry: a ConfigError line otherwise."""
    index = platforms()
    covered = {p.terms_key for p in index.platforms.values()}
    lines = platform_lines(path.read_text(encoding="utf-8"))
    for key in terms.platforms:
        if key not in covered:
            raise ConfigError(
                "unknown platform key",
                file=path,
                locator=lines.get(key),
                field=f"platforms.{key}",
                value=key,
                choices=index.platforms,
            )


def _check_claimed(claims: TrainingClaims, path: Path) -> None:
    """Every platform a claim (or the none-known list) names is a key of the platform registry:
    a ConfigError line naming the first line that holds it otherwise."""
    index = platforms().platforms
    named = [
        (f"claims.{i}.platforms", key) for i, c in enumerate(claims.claims) for key in c.platforms
    ]
    named += [("none_known.platforms", key) for key in claims.none_known.platforms]
    named += [("none_known.notes", key) for key in claims.none_known.notes]
    lines = path.read_text(encoding="utf-8").splitlines()
    for where, key in named:
        if key not in index:
            word = re.compile(rf"\b{re.escape(key)}\b")
            held = [n for n, line in enumerate(lines, 1) if not line.lstrip().startswith("#")]
            number = next((n for n in held if word.search(lines[n - 1])), None)
            raise ConfigError(
                "unknown platform key",
                file=path,
                locator=number,
                field=where,
                value=key,
                choices=index,
            )


def _with_plugins(terms: Terms) -> Terms:
    """The terms plugin adapters bring (``Platform.terms_entry``), added under their keys."""
    added: dict[str, PlatformTerms] = {}
    for platform in platforms().brought():
        if platform.terms_entry is None:
            continue
        if platform.terms_key in terms.platforms:
            raise ConfigError(
                "terms already in platform_terms.yaml",
                file=platform.origin,
                field="terms_entry",
                value=platform.terms_key,
            )
        try:
            added[platform.terms_key] = PlatformTerms.model_validate(platform.terms_entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(part) for part in err["loc"])
            raise ConfigError(
                err["msg"],
                file=platform.origin,
                field=f"terms_entry.{where}",
                value=err.get("input"),
            ) from exc
    if not added:
        return terms
    return terms.model_copy(update={"platforms": {**terms.platforms, **added}})


@cache
def load_terms(path: Path | None = None) -> Terms:
    """``data/platform_terms.yaml``, validated (its keys against the platform registry), with the
    terms plugin adapters bring; every cited source must resolve."""
    path = path or data_file("platform_terms.yaml")
    terms = _validate(Terms, _read_yaml(path), path)
    _check_keys(terms, path)
    terms = _with_plugins(terms)
    _check_cited(_cited(terms), path)
    return terms


@cache
def load_lists(folder: Path | None = None) -> dict[str, NameList]:
    """Every ``data/lists/*.yaml``, by ``kind`` (living_artist, deceased_artist, brand, ...)."""
    folder = folder or data_file("lists")
    lists: dict[str, NameList] = {}
    for path in sorted(folder.glob("*.yaml")):
        name_list = _validate(NameList, _read_yaml(path), path)
        if name_list.kind in lists:
            raise DataError(f"{path}: list kind {name_list.kind!r} defined twice")
        lists[name_list.kind] = name_list
    return lists


@cache
def load_training_claims(path: Path | None = None) -> TrainingClaims:
    """``data/training_claims.yaml``, validated; every cited source must resolve."""
    path = path or data_file("training_claims.yaml")
    claims = _validate(TrainingClaims, _read_yaml(path), path)
    _check_claimed(claims, path)
    ids = [sid for claim in claims.claims for sid in claim.sources]
    _check_cited([*ids, *claims.none_known.sources], path)
    return claims
