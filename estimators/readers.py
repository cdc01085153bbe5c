"""The registry's files read strictly, each failure naming ``file:line``: a CSV whose header must be
exactly the expected columns (rows kept with their line numbers, empty cells as None), and YAML
parsed safely with the line of each key, so that a model's validation error can point at it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from estimators.errors import CoefficientError


def read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str | None]]]:
    """Rows with their line numbers; the header must be exactly ``columns``."""
    if not path.is_file():
        raise CoefficientError("file is missing", file=path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        unknown = [c for c in header if c not in columns]
        missing = [c for c in columns if c not in header]
        if unknown or missing or tuple(header) != columns:
            what = (
                f"unknown column {unknown[0]!r}"
                if unknown
                else (f"missing column {missing[0]!r}" if missing else "columns out of order")
            )
            raise CoefficientError(
                what, file=path, line=reader.line_num, field="header", choices=columns
            )
        rows = []
        for cells in reader:
            line = reader.line_num
            if not any(cells):
                continue
            if len(cells) != len(columns):
                raise CoefficientError(
                    f"expected {len(columns)} cells, found {len(cells)}", file=path, line=line
                )
            rows.append(
                (line, {k: (v if v != "" else None) for k, v in zip(columns, cells, strict=True)})
            )
        return rows


#: PyYAML's safe loader, in C when libyaml is there: ``yaml.safe_load``'s constructor (plain
#: data only), on libyaml's parser (the same documents, ten times faster).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, parsed by :data:`SAFE_LOADER`."""
    loader = SAFE_LOADER(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def yaml_lines(path: Path) -> tuple[Any, dict[str, int]]:
    """The parsed YAML (safe) and the line of each key of its mappings, by dotted path."""
    text = path.read_text(encoding="utf-8")
    try:
        data = safe_yaml(text)
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CoefficientError(
            f"invalid YAML: {exc}".splitlines()[0],
            file=path,
            line=mark.line + 1 if mark is not None else None,
        ) from exc
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                dotted = f"{prefix}{key.value}"
                lines[dotted] = key.start_mark.line + 1
                walk(value, dotted + ".")
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[f"{prefix}{index}"] = item.start_mark.line + 1
                walk(item, f"{prefix}{index}.")

    if root is not None:
        walk(root, "")
    return data, lines
