"""Strict readers for the registry files; every failure names ``file:line``."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from estimators.coefficients import (
    BOUNDARIES,
    CSV_QUANTITIES,
    MODALITIES,
    Coefficient,
    EcologitsVideoModel,
    GridFactor,
    ModelPoint,
    PlatformName,
    PlatformProfile,
    Registry,
    SourceRef,
)
from estimators.errors import CoefficientError
from estimators.jobs import load_job_rules
from estimators.readers import read_csv, yaml_lines
from estimators.routing import Route, load_routes
from estimators.units import COEFFICIENT_UNITS
from estimators.validation_set import load_points

COEFFICIENT_COLUMNS = (
    "id", "quantity", "value", "low", "high", "unit", "modality", "model_family", "platform",
    "source_id", "locator", "year", "boundary", "notes",
)  # fmt: skip
GRID_COLUMNS = (
    "country", "name", "gco2e_per_kwh", "water_offsite_l_per_kwh", "adpe_kgsbeq_per_kwh",
    "source_id", "locator", "year", "role",
)  # fmt: skip
_CHOICES: dict[str, tuple[str, ...]] = {
    "unit": tuple(COEFFICIENT_UNITS),
    "boundary": BOUNDARIES,
    "quantity": CSV_QUANTITIES,
    "modality": MODALITIES,
}
_M = TypeVar("_M", bound=BaseModel)
_POINT_FIELDS = {"energy", "width", "height", "steps", "frames"}


def _fail(exc: ValidationError, file: Path, line: int | None) -> CoefficientError:
    first = exc.errors()[0]
    fld = ".".join(str(p) for p in first["loc"]) or None
    return CoefficientError(
        first["msg"],
        file=file,
        line=line,
        field=fld,
        value=first.get("input"),
        choices=_CHOICES.get(fld or ""),
    )


def _validate(model: type[_M], data: Any, path: Path, lines: dict[str, int], prefix: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        loc = ".".join(str(p) for p in exc.errors()[0]["loc"])
        line = lines.get(f"{prefix}.{loc}") or lines.get(prefix)
        raise _fail(exc, path, line) from exc


def load_sources(path: Path) -> dict[str, SourceRef]:
    """sources.yaml: a mapping ``source_id -> {title, authors, year, publisher, url|doi, ...}``."""
    data, lines = yaml_lines(path)
    if not isinstance(data, dict):
        raise CoefficientError("expected a mapping of source ids", file=path, line=1)
    return {
        str(sid): _validate(SourceRef, {"id": str(sid), **(body or {})}, path, lines, str(sid))
        for sid, body in data.items()
    }


def load_coefficients(path: Path, sources: dict[str, SourceRef]) -> dict[str, Coefficient]:
    """coefficients.csv, checked row by row against the unit vocabulary and the sources."""
    out: dict[str, Coefficient] = {}
    for line, row in read_csv(path, COEFFICIENT_COLUMNS):
        row["notes"] = row["notes"] or ""
        try:
            coef = Coefficient.model_validate(row)
        except ValidationError as exc:
            raise _fail(exc, path, line) from exc
        if coef.quantity not in CSV_QUANTITIES:
            raise CoefficientError(
                "not allowed in coefficients.csv",
                file=path,
                line=line,
                field="quantity",
                value=coef.quantity,
                choices=CSV_QUANTITIES,
            )
        for sid in (coef.source_id, *coef.also):
            if sid not in sources:
                raise CoefficientError(
                    "unknown source (not in sources.yaml)",
                    file=path,
                    line=line,
                    field="source_id",
                    value=sid,
                )
        if coef.id in out:
            raise CoefficientError("duplicate id", file=path, line=line, field="id", value=coef.id)
        out[coef.id] = coef
    return out


def load_grid(path: Path, sources: dict[str, SourceRef]) -> list[GridFactor]:
    """grid.csv: one row per (country, source); exactly one ``primary`` row per country."""
    factors: list[GridFactor] = []
    primaries: set[str] = set()
    for line, row in read_csv(path, GRID_COLUMNS):
        try:
            factor = GridFactor.model_validate(row)
        except ValidationError as exc:
            raise _fail(exc, path, line) from exc
        if factor.source_id not in sources:
            raise CoefficientError(
                "unknown source (not in sources.yaml)",
                file=path,
                line=line,
                field="source_id",
                value=factor.source_id,
            )
        if factor.role == "primary":
            if factor.country in primaries:
                raise CoefficientError(
                    "second primary row",
                    file=path,
                    line=line,
                    field="country",
                    value=factor.country,
                )
            if factor.water_offsite_l_per_kwh is None or factor.adpe_kgsbeq_per_kwh is None:
                raise CoefficientError("a primary row needs water and adpe", file=path, line=line)
            primaries.add(factor.country)
        factors.append(factor)
    missing = {f.country for f in factors} - primaries
    if missing or "WOR" not in primaries:
        raise CoefficientError(
            "country without a primary row",
            file=path,
            field="country",
            value=sorted(missing)[0] if missing else "WOR",
        )
    return factors


def _profile(
    key: str,
    body: Any,
    path: Path,
    lines: dict[str, int],
    known: tuple[dict[str, SourceRef], set[str]],
) -> PlatformProfile:
    """One platform profile, its sources and its country checked against the registry."""
    sources, countries = known
    where = f"platforms.{key}"
    profile = _validate(PlatformProfile, {"key": key, **(body or {})}, path, lines, where)
    line = lines.get(where)
    for sid in profile.sources:
        if sid not in sources:
            raise CoefficientError(
                "unknown source", file=path, line=line, field=f"{key}.sources", value=sid
            )
    if profile.country is not None and profile.country not in countries:
        raise CoefficientError(
            "country not in grid.csv",
            file=path,
            line=line,
            field=f"{key}.country",
            value=profile.country,
        )
    expected = f"grid.carbon.{profile.country}" if profile.country else None
    if profile.grid_factor != expected:
        raise CoefficientError(
            f"must be {expected!r} (the country's carbon factor)",
            file=path,
            line=line,
            field=f"{key}.grid_factor",
            value=profile.grid_factor,
        )
    return profile


def load_platforms(
    path: Path, sources: dict[str, SourceRef], countries: set[str]
) -> tuple[dict[str, PlatformProfile], tuple[EcologitsVideoModel, ...]]:
    """platforms.yaml: ``platforms`` (profiles by key) and ``ecologits_video_models``."""
    data, lines = yaml_lines(path)
    sections = ("ecologits_video_models", "platforms")
    if not isinstance(data, dict) or set(data) != set(sections):
        raise CoefficientError(
            "expected exactly these top-level keys", file=path, line=1, choices=sections
        )
    profiles: dict[str, PlatformProfile] = {}
    names: list[PlatformName] = []
    for key, body in (data["platforms"] or {}).items():
        if isinstance(body, dict) and "runs_on" in body:
            where = f"platforms.{key}"
            names.append(_validate(PlatformName, {"key": str(key), **body}, path, lines, where))
        else:
            profiles[str(key)] = _profile(str(key), body, path, lines, (sources, countries))
    for name in names:  # veo runs on google: its key and aliases name google's profile
        target = profiles.get(name.runs_on)
        if target is None:
            raise CoefficientError(
                "unknown platform",
                file=path,
                field=f"{name.key}.runs_on",
                line=lines.get(f"platforms.{name.key}.runs_on"),
                value=name.runs_on,
                choices=profiles,
            )
        folded = (*target.aliases, name.key, *name.aliases)
        profiles[name.runs_on] = target.model_copy(update={"aliases": folded})
    if "unknown" not in profiles:
        raise CoefficientError("an 'unknown' platform profile is required", file=path)
    models = tuple(
        _validate(EcologitsVideoModel, body, path, lines, f"ecologits_video_models.{i}")
        for i, body in enumerate(data["ecologits_video_models"] or [])
    )
    for i, model in enumerate(models):
        if model.runs_on not in profiles:
            raise CoefficientError(
                "unknown platform",
                file=path,
                field="runs_on",
                line=lines.get(f"ecologits_video_models.{i}"),
                value=model.runs_on,
                choices=profiles,
            )
    return profiles, models


def _grid_coefficients(factors: list[GridFactor]) -> dict[str, Coefficient]:
    out: dict[str, Coefficient] = {}
    for f in factors:
        suffix = "" if f.role == "primary" else f".{f.source_id}"
        parts = [("carbon", f.gco2e_per_kwh, "gCO2e/kWh"),
                 ("water", f.water_offsite_l_per_kwh, "L/kWh"),
                 ("adpe", f.adpe_kgsbeq_per_kwh, "kgSbeq/kWh")]  # fmt: skip
        for kind, value, unit in parts:
            if value is None:
                continue
            cid = f"grid.{kind}.{f.country}{suffix}"
            out[cid] = Coefficient(
                id=cid,
                quantity=f"grid_{kind}",
                value=value,
                low=value,
                high=value,
                unit=unit,
                source_id=f.source_id,
                locator=f.locator,
                year=f.year,
                boundary="NONE",
                notes=f"{f.name} ({f.role}; grid.csv)",
            )
    return out


def platform_coefficients(profiles: dict[str, PlatformProfile]) -> dict[str, Coefficient]:
    """The ``platform.<key>.pue`` and ``.wue`` coefficients of hosting profiles."""
    out: dict[str, Coefficient] = {}
    for p in profiles.values():
        also = f" [also: {', '.join(p.sources[1:])}]" if len(p.sources) > 1 else ""
        for cid, spec, quantity, unit in (
            (p.pue_id, p.pue, "pue", "ratio"),
            (p.wue_id, p.wue, "wue", "L/kWh"),
        ):
            out[cid] = Coefficient(
                id=cid,
                quantity=quantity,
                value=spec.central,
                low=spec.low,
                high=spec.high,
                unit=unit,
                platform=p.key,
                source_id=p.sources[0],
                locator=p.locator,
                boundary="FACILITY",
                notes=f"{p.title}: {p.notes}{also}".strip(),
            )
    return out


def _model_points(coefs: dict[str, Coefficient], path: Path) -> dict[str, tuple[ModelPoint, ...]]:
    groups: dict[str, dict[str, Coefficient]] = defaultdict(dict)
    for cid, coef in coefs.items():
        match cid.split("."):
            case [modality, "model", key, fld] if fld in _POINT_FIELDS:
                groups[f"{modality}.model.{key}"][fld] = coef
            case _:
                pass
    points: dict[str, list[ModelPoint]] = defaultdict(list)
    for prefix, rows in sorted(groups.items()):
        modality = prefix.split(".")[0]
        need = {"energy", "width", "height", "steps"} | (
            {"frames"} if modality == "video" else set()
        )
        if need - set(rows) or ("energy" in rows and not rows["energy"].aliases):
            raise CoefficientError(
                "incomplete model point (energy with model_family, width, height, steps[, frames])",
                file=path,
                field="id",
                value=prefix,
            )
        energy = rows["energy"]
        points[modality].append(
            ModelPoint(
                key=prefix,
                modality=modality,
                aliases=energy.aliases,
                energy_id=energy.id,
                boundary=energy.boundary,
                width_px=int(rows["width"].value),
                height_px=int(rows["height"].value),
                steps=int(rows["steps"].value),
                frames=int(rows["frames"].value) if "frames" in rows else None,
                coefficient_ids=tuple(sorted(c.id for c in rows.values())),
            )
        )
    return {m: tuple(p) for m, p in points.items()}


def build_registry(data_dir: Path) -> Registry:
    """Load every registry file under ``data_dir`` (see :func:`load_registry`)."""
    sources = load_sources(data_dir / "sources.yaml")
    coefs = load_coefficients(data_dir / "coefficients.csv", sources)
    factors = load_grid(data_dir / "grid.csv", sources)
    profiles, video_models = load_platforms(
        data_dir / "platforms.yaml", sources, {f.country for f in factors}
    )
    version_file = data_dir / "VERSION"
    if not version_file.is_file():
        raise CoefficientError("file is missing", file=version_file)
    alternatives: dict[str, list[GridFactor]] = defaultdict(list)
    for f in factors:
        if f.role == "alternative":
            alternatives[f.country].append(f)
    routes = load_routes(data_dir / "routes.csv", set(sources))
    points = _model_points(coefs, data_dir / "coefficients.csv")
    _check_targets(routes, points, coefs, {m.name for m in video_models}, data_dir / "routes.csv")
    return Registry(
        coefficients={**coefs, **_grid_coefficients(factors), **platform_coefficients(profiles)},
        sources=sources,
        platforms=profiles,
        data_version=version_file.read_text(encoding="utf-8").strip(),
        grid={f.country: f for f in factors if f.role == "primary"},
        grid_alternatives={k: tuple(v) for k, v in sorted(alternatives.items())},
        ecologits_video=video_models,
        model_points=points,
        data_dir=data_dir,
        routes=routes,
        job_rules=load_job_rules(data_dir / "job_status.csv", set(sources)),
        validation=load_points(data_dir / "validation.csv", set(sources)),
    )


def _check_targets(
    routes: tuple[Route, ...],
    points: dict[str, tuple[ModelPoint, ...]],
    coefs: dict[str, Coefficient],
    ecologits: set[str],
    path: Path,
) -> None:
    """Every route goes somewhere that exists: a model point, an audio series, an EcoLogits model."""
    keys = {p.key for group in points.values() for p in group}
    for route in routes:
        target = route.target
        if target.startswith("ecologits:"):
            ok = target.removeprefix("ecologits:") in ecologits
        elif target.startswith("audio.model."):
            ok = f"{target}.fixed" in coefs and f"{target}.per_step" in coefs
        else:
            ok = target in keys
        if not ok:
            raise CoefficientError(
                "route target not in the registry", file=path, field="target", value=target
            )


def load_registry(data_dir: Path) -> Registry:
    """Read and validate the registry under ``data_dir``: coefficients, sources, platforms, grid
    factors, routes, job rules and validation points (see :mod:`estimators.coefficients`)."""
    return build_registry(Path(data_dir))
