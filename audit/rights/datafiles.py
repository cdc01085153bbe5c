"""Empreinte's rights data files read into their models (:mod:`audit.rights.knowledge`), once each:
``data/platform_terms.yaml``, ``data/lists/*.yaml``, ``data/training_claims.yaml`` and
``data/rights_sources.yaml``. A file that cannot be read, an entry its model refuses or a cited
source that does not resolve is a :class:`~audit.base.errors.DataError` naming the file: a bug in
our data, not in the user's input."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from audit.base.errors import DataError
from audit.base.resources import data_file
from audit.rights.knowledge import NameList, RightsSource, Terms, TrainingClaims


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
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


@cache
def load_terms(path: Path | None = None) -> Terms:
    """``data/platform_terms.yaml``, validated; every cited source must resolve."""
    path = path or data_file("platform_terms.yaml")
    terms = _validate(Terms, _read_yaml(path), path)
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
    ids = [sid for claim in claims.claims for sid in claim.sources]
    _check_cited([*ids, *claims.none_known.sources], path)
    return claims
