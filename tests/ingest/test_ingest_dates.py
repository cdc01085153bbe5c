"""The one date parser of every adapter: each form platforms write, with its time-zone rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from audit.base.errors import RecordError
from audit.ingest._dates import parse_time
from audit.ingest._util import any_time, time_at

AT = datetime(2024, 6, 20, 22, 50, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "form"),
    [
        # Midjourney's PNG ``Creation Time`` chunk (RFC 1123, as the PNG specification recommends)
        ("Thu, 20 Jun 2024 22:50:03 GMT", "rfc2822"),
        ("Thu, 20 Jun 2024 22:50:03 +0000", "rfc2822"),
        ("Fri, 21 Jun 2024 00:50:03 +0200", "rfc2822"),
        ("20 Jun 2024 22:50:03 -0000", "rfc2822"),  # -0000: zone unknown, read as UTC
        ("2024-06-20T22:50:03Z", "iso"),
        ("2024-06-20T22:50:03.000+00:00", "iso"),
        ("2024-06-21T00:50:03+02:00", "iso"),
        ("2024-06-20 22:50:03", "iso"),  # no offset: UTC
        ("2024-06-20 22:50:03 UTC", "iso"),  # as loggers print str(datetime) + " UTC"
        (1718923803, "epoch"),
        (1718923803000, "epoch"),  # milliseconds, told apart by size
        ("1718923803", "epoch"),
        (1718923803.0, "epoch"),
        ("2024:06:20 22:50:03", "exif"),  # EXIF keeps no zone: UTC
        ("2024:06:21 00:50:03+02:00", "exif"),
    ],
)
def test_every_form_gives_the_same_instant(written: object, form: str) -> None:
    assert parse_time(written) == (AT, form)


def test_fractions_of_exif_and_iso() -> None:
    assert parse_time("2024:06:20 22:50:03.25")[0] == AT.replace(microsecond=250000)
    assert parse_time("2024-06-20T22:50:03.123456Z")[0] == AT.replace(microsecond=123456)


@pytest.mark.parametrize(
    "written",
    [
        "yesterday", "", "Thu, 32 Jun 2024 22:50:03 GMT", "2024:13:20 22:50:03",
        "0001-01-01T00:00:00+05:00", float("nan"), float("inf"), 1e22, True, None, [2024],
    ],
)  # fmt: skip
def test_what_is_no_time_is_refused(written: object) -> None:
    with pytest.raises(ValueError, match=r"\w"):  # every refusal says why
        parse_time(written)


def test_field_helpers_name_the_field_and_the_forms() -> None:
    record = {"createdAt": "Thu, 20 Jun 2024 22:50:03 GMT", "bad": "soon", "empty": ""}
    assert time_at(record, "createdAt") == AT
    assert time_at(record, "empty") is None
    assert any_time(record, ("missing", "createdAt")) == AT
    with pytest.raises(RecordError) as caught:
        time_at(record, "bad", "data.bad")
    assert caught.value.field == "data.bad"
    assert "RFC 1123" in caught.value.reason
    assert "EXIF" in caught.value.reason
