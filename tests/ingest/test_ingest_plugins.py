"""Third-party adapters: a distribution declaring an entry point in the group
``empreinte.adapters`` is listed by ``adapters()`` and reads files like a built-in one.

Each test writes a real (temporary) installed distribution — a module and a ``*.dist-info`` folder
with ``METADATA`` and ``entry_points.txt`` — on ``sys.path``, so ``importlib.metadata`` finds it
exactly as it finds a pip-installed plugin.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit.base.errors import DataError
from audit.ingest.registry import ENTRY_POINT_GROUP, adapters
from audit.ingest.walk import ingest_files

PLUGIN = """
from audit.ingest.base import Adapter, Source, build


class NotesAdapter(Adapter):
    name = "notes"
    platform = "notes"
    title = "Notes (test plugin)"
    suffixes = (".notes",)
    formats = "one generation per line: <id> <ISO time>"
    reads = "id, created_at"
    cannot_know = "everything else"

    def sniff(self, path):
        return path.read_text(encoding="utf-8").startswith("notes:")

    def read(self, source: Source):
        lines = source.path.read_text(encoding="utf-8").splitlines()[1:]
        for number, line in enumerate(lines, start=2):
            gen_id, created = line.split()
            yield build(source, str(number), self.name, id=f"notes:{gen_id}", platform="notes",
                        modality="image", created_at=created)


class Nameless(Adapter):
    pass


class NotAnAdapter:
    name = "fake"
"""


def _install(folder: Path, module: str, entries: dict[str, str]) -> None:
    """Write ``module.py`` and an installed distribution declaring ``entries``."""
    (folder / f"{module}.py").write_text(PLUGIN, encoding="utf-8")
    dist = folder / f"{module}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    lines = [f"{name} = {value}" for name, value in entries.items()]
    (dist / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n" + "\n".join(lines) + "\n")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for fake distributions; the registry cache is cleared around."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    adapters.cache_clear()
    yield folder
    adapters.cache_clear()
    for name in [m for m in sys.modules if m.startswith("empreinte_fake_")]:
        del sys.modules[name]


def test_plugin_is_listed_after_builtins_and_reads(site: Path, tmp_path: Path) -> None:
    _install(site, "empreinte_fake_notes", {"notes": "empreinte_fake_notes:NotesAdapter"})
    names = list(adapters())
    assert names[-1] == "notes"
    assert names[:-1] == list(adapters(include_plugins=False))
    assert "notes" not in adapters(include_plugins=False)
    log = tmp_path / "logs" / "day1.notes"
    log.parent.mkdir()
    log.write_text("notes:\nn1 2026-09-20T08:00:00Z\nn2 2026-09-20T09:00:00Z\n")
    result = ingest_files(tmp_path, [log])
    assert [(g.id, g.adapter, g.source_locator) for g in result.generations] == [
        ("notes:n1", "notes", "2"),
        ("notes:n2", "notes", "3"),
    ]
    assert (result.files[0].adapter, result.files[0].accepted) == ("notes", 2)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("empreinte_fake_bad:Nameless", "empreinte_fake_bad:Nameless is not an Adapter subclass"),
        ("empreinte_fake_bad:NotAnAdapter", "empreinte_fake_bad:NotAnAdapter is not an Adapter"),
    ],
)
def test_broken_plugin_is_a_data_error_naming_it(site: Path, value: str, message: str) -> None:
    _install(site, "empreinte_fake_bad", {"bad": value})
    with pytest.raises(DataError, match=f"^{message}"):
        adapters()
    assert "kling" in adapters(include_plugins=False)


def test_plugin_reusing_a_builtin_name(site: Path) -> None:
    source = PLUGIN + "\n\nclass Kling(NotesAdapter):\n    name = 'kling'\n"
    _install(site, "empreinte_fake_twin", {"twin": "empreinte_fake_twin:Kling"})
    (site / "empreinte_fake_twin.py").write_text(source, encoding="utf-8")
    with pytest.raises(
        DataError, match=r"^two adapters named 'kling' \(empreinte_fake_twin:Kling\)"
    ):
        adapters()


def test_unimportable_plugin_is_a_data_error_naming_it(site: Path) -> None:
    _install(site, "empreinte_fake_gone", {"gone": "empreinte_fake_missing:Adapter"})
    with pytest.raises(DataError, match="empreinte_fake_missing:Adapter"):
        adapters()
