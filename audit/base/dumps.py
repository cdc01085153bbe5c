"""A field's values, a column at a time, as ``Generation.model_dump(mode="json")`` writes them.

Given the values a record's validation would receive (None: not given, the field's default), each
field's declared kind (:data:`audit.base.schema.FIELDS`) says what the record would hold and how
it dumps: whole numbers as ``int``, numbers as ``float``, dates through pydantic's own parser and
serialiser (in UTC, as :class:`~audit.base.models.Generation` keeps them), enums and text as text,
lists and attributes as plain JSON values. ``generations.csv`` is written from these columns
without building a record per row (audit/report/generations.py); a test holds them equal to the
records' own dumps.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import Enum
from json.encoder import encode_basestring
from typing import Any

from pydantic import TypeAdapter

from audit.base.models import AssetRef
from audit.base.schema import SPECS

#: Each field's values of some rows, as ``Generation.model_dump(mode="json")`` gives them.
Dumped = dict[str, list[Any]]
_DATES: TypeAdapter[list[datetime]] = TypeAdapter(list[datetime])
#: An input's role when its cell gives none (the record's default).
_ROLE = AssetRef.model_fields["role"].default


def _utc(value: datetime) -> datetime:
    """What the record's validator makes of a date: UTC, a naive one taken as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _dates(values: list[Any]) -> list[Any]:
    """Dates (ISO text or datetimes) as the record dumps them (each distinct value once)."""
    distinct = list(dict.fromkeys(values))
    parsed = [_utc(value) for value in _DATES.validate_python(distinct)]
    dumped = dict(zip(distinct, _DATES.dump_python(parsed, mode="json"), strict=True))
    return [dumped[value] for value in values]


def _default(name: str) -> Any:
    """The field's default, as dumped (an enum by its value)."""
    default = SPECS[name].default
    return default.value if isinstance(default, Enum) else default


def json_values(name: str, values: list[Any]) -> list[Any]:
    """Field ``name``'s values in records given ``values`` (None: not given), dumped."""
    kind, default = SPECS[name].kind, _default(name)
    if kind == "int":
        return [default if v is None else int(v) for v in values]
    if kind == "float":
        return [default if v is None else float(v) for v in values]
    if kind == "bool":
        return [default if v is None else bool(v) for v in values]
    if kind == "datetime":
        return _dates(values)
    if kind == "strings":
        return [[] if v is None else list(v) for v in values]
    if kind == "inputs":
        return [[] if v is None else [_input(item) for item in v] for v in values]
    if kind == "attributes":
        return [{} if v is None else v for v in values]
    return [default if v is None else v for v in values]  # text, and an enum's value


def _input(item: dict[str, Any]) -> dict[str, Any]:
    """An input reference as :class:`~audit.base.models.AssetRef` dumps it."""
    return {"uri": item["uri"], "role": item.get("role", _ROLE)}


_JSON_CELL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
#: The JSON cells of the empty list and dict (most generations' inputs and attributes).
_EMPTY = {list: "[]", dict: "{}"}


def json_texts(name: str, values: list[Any]) -> list[str]:
    """A JSON field's dumped values (lists, dicts) as generations.csv's cells: ``json.dumps(value,
    ensure_ascii=False, sort_keys=True, separators=(",", ":"))``, lists of text joined directly."""
    if SPECS[name].kind == "strings":
        return ["[" + ",".join(map(encode_basestring, value)) + "]" for value in values]
    return [_JSON_CELL(value) if value else _EMPTY[value.__class__] for value in values]


#: A JSON input's text when only its ``uri`` is given: ``{"role":…,"uri":`` before the uri.
INPUT_PREFIX = '{"role":' + encode_basestring(_ROLE) + ',"uri":'


def default_value(name: str) -> Any:
    """Field ``name``'s dumped value when not given (JSON fields: their cell; None for a
    required field)."""
    if SPECS[name].required:
        return None
    value = json_values(name, [None])[0]
    return json_texts(name, [value])[0] if SPECS[name].kind in _JSON_KINDS else value


_JSON_KINDS = ("strings", "inputs", "attributes")
