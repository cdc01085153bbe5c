"""The rights cards' evidence as chunks a line may end between (a PDF line used to break inside a
JSON pointer: ``….json:/`` then ``data)``)."""

from audit.report.context import evidence_chunks

# shapes of the demo's evidence: a record id and its file:pointer, a cited source, a curated note
ITEMS = [
    "kling:126296160189944971 (logs/kling/tasks/126296160189944971.json:/data)",
    "source: fairly-trained",
    "note: French comics artist, died 2012",
]


def test_an_id_and_its_location_are_two_chunks_and_items_keep_their_separator() -> None:
    assert evidence_chunks(ITEMS, "fr") == [
        "kling:126296160189944971",
        "(logs/kling/tasks/126296160189944971.json:/data)\u00a0;",
        "source: fairly-trained\u00a0;",
        "note: French comics artist, died 2012",
    ]
    assert evidence_chunks(ITEMS[1:], "en") == [
        "source: fairly-trained;",
        "note: French comics artist, died 2012",
    ]


def test_items_left_out_are_an_ellipsis_on_the_last_chunk() -> None:
    chunks = evidence_chunks([f"note: n{i}" for i in range(10)], "en")
    assert len(chunks) == 8
    assert chunks[-1] == "note: n7 …"
    assert evidence_chunks([], "en") == []
