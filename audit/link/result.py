"""What linking found: allocations of generations to units, and the objects built from them.

:class:`LinkResult` keeps the allocation as arrays (one row per generation-and-unit share); the
stages read those and the table's columns. It builds the records of some rows with
``shot_id``/``kept`` set (for what a person reads), and the :class:`Allocation` and
:class:`ShotLink` lists, when asked for (docs/development.md, "Stages").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from audit.base.codes import factorized, first_rows
from audit.base.gentable import GenTable
from audit.base.models import Generation
from audit.link.model import USE_NAMES, Clip, ClipKind

Role = Literal["kept", "ancestor", "attempt"]
T = TypeVar("T")
#: Audio cue ids start with this, so they never collide with picture shot ids.
CUE_PREFIX = "cue:"


@dataclass(frozen=True)
class Allocation:
    """A share of one generation given to one shot or audio cue (weights of a generation sum
    to 1)."""

    generation_id: str
    shot_id: str
    role: Role
    weight: float


@dataclass(frozen=True)
class ShotLink:
    """What serves one picture shot or audio cue. ``join_keys`` tell how the kept ones were
    found (platform_id, file_name, user_name, content_hash, c2pa_instance_id). An
    ``unresolved`` one has no kept generation; its ``attempt_ids`` are its candidates."""

    shot_id: str
    sequence: str | None
    kind: ClipKind
    duration_s: float
    kept_ids: tuple[str, ...]
    ancestor_ids: tuple[str, ...]
    attempt_ids: tuple[str, ...]
    platforms: tuple[str, ...]
    clip_names: tuple[str, ...]
    join_keys: tuple[str, ...] = ()
    #: no kept generation is known, but these candidates were made for it (its attempts)
    unresolved: bool = False


@dataclass(frozen=True)
class CutSummary:
    """Per film: generations (and outputs) in the cut, discarded attempts, not in the cut."""

    generations: int
    in_cut: int
    attempts: int
    not_in_cut: int
    outputs: int
    outputs_in_cut: int

    @property
    def share_in_cut(self) -> float:
        """Fraction of generations whose output (or a descendant's) is in the cut."""
        return self.in_cut / self.generations if self.generations else 0.0


_ROLES: tuple[Role, ...] = ("kept", "ancestor", "attempt")


@dataclass(eq=False)
class LinkResult:
    """Allocations of table rows to units (shots, then audio cues), and what linking noticed.

    ``allocation_rows`` has one row per (generation row, unit) share: ``row``, ``unit``, ``rank``
    (0 kept, 1 ancestor, 2 attempt) and ``weight``, sorted by row then unit. Objects — the
    records of some rows with ``shot_id``/``kept`` set (:meth:`objects`), :class:`Allocation` and
    :class:`ShotLink` lists — are built when asked for.
    """

    table: GenTable
    allocation_rows: pd.DataFrame
    units: list[_Unit]
    join_keys: list[tuple[str, ...]]
    unexplained_clips: list[Clip]
    warnings: list[str]
    #: per row: use status code (:data:`~audit.link.model.USE_NAMES`); None: not computed
    use: np.ndarray | None = None
    #: per unit, per clip: the join key that explained it (None: unexplained)
    clip_keys: list[tuple[str | None, ...]] = field(default_factory=list)
    #: per unit: candidates known, no kept generation
    unresolved: np.ndarray | None = None
    #: the cut has no audio track to check sound generations against
    audio_unchecked: bool = False
    #: input URLs and paths that are the output of another generation (lineage found them)
    generated_inputs: frozenset[str] = frozenset()
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def _memo(self, name: str, make: Callable[[], T]) -> T:
        if name not in self._cache:
            self._cache[name] = make()
        found: T = self._cache[name]
        return found

    @property
    def first_unit(self) -> np.ndarray:
        """Per row: the first unit (timeline order) it is allocated to, or -1."""
        return self._memo("first_unit", self._first_unit)

    def _first_unit(self) -> np.ndarray:
        first = np.full(len(self.table), -1, dtype=np.int64)
        rows = self.allocation_rows["row"].to_numpy()
        at = first_rows(rows)  # each row's first share
        first[rows[at]] = self.allocation_rows["unit"].to_numpy()[at]
        kept = np.zeros(len(self.table), dtype=bool)
        kept[rows[at]] = self.allocation_rows["rank"].to_numpy()[at] < 2
        self._cache["kept"] = kept
        return first

    @property
    def kept(self) -> np.ndarray:
        """Per row: True when its first allocation is as kept or ancestor (in the cut)."""
        self.first_unit  # noqa: B018 - computes both
        kept: np.ndarray = self._cache["kept"]
        return kept

    @property
    def shot_ids(self) -> np.ndarray:
        """Per row: the shot id it served first, or None."""
        names = np.asarray([*(u.shot_id for u in self.units), None], dtype=object)
        picked: np.ndarray = names[self.first_unit]
        return picked

    def shot_units(self) -> tuple[np.ndarray, np.ndarray]:
        """(per row the unit it served first, -1 for none; the units' shot ids): the codes of
        :attr:`shot_ids`."""
        return self.first_unit, np.asarray([u.shot_id for u in self.units], dtype=object)

    @property
    def use_names(self) -> np.ndarray | None:
        """Per row: its use status name (in_film, possibly_in_film, not_in_film); None: not
        computed."""
        if self.use is None:
            return None
        names: np.ndarray = np.asarray(USE_NAMES, dtype=object)[self.use]
        return names

    def objects(self, rows: np.ndarray) -> list[Generation]:
        """The records of ``rows`` (table positions) with ``shot_id`` (first unit in timeline
        order) and ``kept`` set, built for what a person reads (a page, a cue's label): the
        stages themselves read columns."""
        rows = np.asarray(rows, dtype=np.int64)
        gens = self.table.build(rows)
        shots, kept = self.shot_ids[rows].tolist(), self.kept[rows].tolist()
        return [
            gen.model_copy(update={"shot_id": shot, "kept": flag})
            for gen, shot, flag in zip(gens, shots, kept, strict=True)
        ]

    def allocation_frame(self) -> pd.DataFrame:
        """generation_id, shot_id, role, weight (and the generation's row in the table): one
        row per share."""
        frame = self.share_frame()
        rows = frame["row"].to_numpy()
        return frame.assign(
            generation_id=self.table.column("id")[rows],
            role=np.asarray(_ROLES, dtype=object)[self.allocation_rows["rank"].to_numpy()],
        )[["row", "generation_id", "shot_id", "role", "weight"]]

    def share_frame(self) -> pd.DataFrame:
        """row, shot_id, role (both categorical) and weight: one row per share, what the
        aggregate reads (:meth:`allocation_frame` without the ids, a million fewer objects)."""
        frame = self.allocation_rows
        unit_ids = np.asarray([u.shot_id for u in self.units], dtype=object)
        return pd.DataFrame(
            {
                "row": frame["row"].to_numpy(),
                "shot_id": pd.Categorical.from_codes(frame["unit"].to_numpy(), pd.Index(unit_ids)),
                "role": pd.Categorical.from_codes(frame["rank"].to_numpy(), pd.Index(_ROLES)),
                "weight": frame["weight"].to_numpy(),
            }
        )

    @property
    def allocations(self) -> list[Allocation]:
        """Each generation's share of each unit it reaches, as records for the report (memoised)."""
        return self._memo("allocations", self._allocations)

    def _allocations(self) -> list[Allocation]:
        frame = self.allocation_frame().drop(columns="row").astype({"shot_id": object})
        return [Allocation(*values) for values in frame.itertuples(index=False, name=None)]

    @property
    def not_in_cut(self) -> list[str]:
        """Sorted ids of generations that reach no shot or cue."""
        return self._memo(
            "not_in_cut", lambda: sorted(self.table.column("id")[self.first_unit < 0])
        )

    @property
    def shots(self) -> list[ShotLink]:
        """What links each picture shot: its generations, key and advice."""
        return [link for link in self._links() if link.kind == "picture"]

    @property
    def audio(self) -> list[ShotLink]:
        """What links each sound cue: its generations, key and advice."""
        return [link for link in self._links() if link.kind == "audio"]

    def _links(self) -> list[ShotLink]:
        return self._memo("links", lambda: shot_links(self))

    def unit_counts(self) -> pd.DataFrame:
        """Per unit: kept, ancestors, attempts (counts) and platforms (joined, sorted)."""
        return self._memo("unit_counts", lambda: unit_counts(self))

    def summary(self) -> CutSummary:
        """The counts of the linking summary: generations in the cut, attempts, not in the cut,
        outputs."""
        first, kept = self.first_unit, self.kept
        outputs = self.table.column("outputs_count")
        return CutSummary(
            generations=len(self.table),
            in_cut=int(kept.sum()),
            attempts=int(((first >= 0) & ~kept).sum()),
            not_in_cut=int((first < 0).sum()),
            outputs=int(outputs.sum()),
            outputs_in_cut=int(outputs[kept].sum()),
        )

    def with_table(self, table: GenTable) -> LinkResult:
        """The same links over a changed table (same rows, same order), e.g. for ``whatif``."""
        return LinkResult(
            table,
            self.allocation_rows,
            self.units,
            self.join_keys,
            self.unexplained_clips,
            self.warnings,
            use=self.use,
            clip_keys=self.clip_keys,
            unresolved=self.unresolved,
            audio_unchecked=self.audio_unchecked,
            generated_inputs=self.generated_inputs,
        )

    def use_by_id(self) -> dict[str, str]:
        """Generation id → use status name (in_film, possibly_in_film, not_in_film)."""
        if self.use is None:
            return {}
        names = np.asarray(USE_NAMES, dtype=object)[self.use]
        return dict(zip(self.table.column("id").tolist(), names.tolist(), strict=True))


@dataclass(frozen=True)
class _Unit:
    """A picture shot or an audio cue, before linking."""

    shot_id: str
    sequence: str | None
    kind: ClipKind
    duration_s: float
    clips: tuple[Clip, ...]


def unit_counts(result: LinkResult) -> pd.DataFrame:
    """Per unit (in unit order): kept, ancestors, attempts and platforms."""
    frame = result.allocation_rows
    size = len(result.units)
    counts = {
        name: np.bincount(
            frame["unit"].to_numpy()[frame["rank"].to_numpy() == rank], minlength=size
        )
        for rank, name in enumerate(("kept", "ancestors", "attempts"))
    }
    codes, names = factorized(result.table, "platform")
    pairs = pd.unique(frame["unit"].to_numpy() * (len(names) + 1) + codes[frame["row"].to_numpy()])
    found: list[set[str]] = [set() for _ in range(size)]
    for unit, code in zip(*divmod(pairs, len(names) + 1), strict=True):
        found[unit].add(names[code])
    return pd.DataFrame({**counts, "platforms": [", ".join(sorted(p)) for p in found]})


def shot_links(result: LinkResult) -> list[ShotLink]:
    """One ShotLink per unit, from the allocations (ids sorted, platforms sorted)."""
    frame = result.allocation_rows
    ids = result.table.column("id")
    platforms = result.table.column("platform")
    members: list[list[list[str]]] = [[[], [], []] for _ in result.units]
    seen: list[set[str]] = [set() for _ in result.units]
    for row, unit, rank in frame[["row", "unit", "rank"]].itertuples(index=False, name=None):
        members[unit][rank].append(ids[row])
        seen[unit].add(platforms[row])
    return [
        ShotLink(
            shot_id=unit.shot_id,
            sequence=unit.sequence,
            kind=unit.kind,
            duration_s=unit.duration_s,
            kept_ids=tuple(sorted(members[u][0])),
            ancestor_ids=tuple(sorted(members[u][1])),
            attempt_ids=tuple(sorted(members[u][2])),
            platforms=tuple(sorted(seen[u])),
            clip_names=tuple(dict.fromkeys(c.name for c in unit.clips)),
            join_keys=result.join_keys[u],
            unresolved=bool(result.unresolved[u]) if result.unresolved is not None else False,
        )
        for u, unit in enumerate(result.units)
    ]
