"""Ancestors and sibling attempts of every shot at once, as (row, unit) pairs.

The rules are those of docs/linking.md, section 7 ("Kept, ancestors and attempts"): a shot's
ancestors are what its kept generations derive from; its attempts are the generations tagged for
it, sharing a content input with its kept chain, content children of the chain, or sharing the
normalised prompt of a chain member — and every content descendant of those. Walking the graph
once for all units, with each pair coded as ``row * units + unit``, does for 1,500 shots what
1,500 separate walks did, in a few array operations per level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from audit.link.keys import Index
from audit.link.lineage import Csr, Graph

_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Pairs:
    """Distinct pair codes ``row * count + unit`` (in no particular order; hashed, not sorted:
    the allocation sorts once at the end)."""

    keys: np.ndarray
    count: int

    @classmethod
    def of(cls, rows: np.ndarray, units: np.ndarray, count: int, distinct: bool = False) -> Pairs:
        """The pairs of ``rows`` and ``units`` taken element by element, made distinct unless
        ``distinct`` says they are."""
        keys = rows.astype(np.int64) * count + units.astype(np.int64)
        return cls(keys if distinct else pd.unique(keys), count)

    @property
    def rows(self) -> np.ndarray:
        """The row of each pair."""
        return self.keys // self.count

    @property
    def units(self) -> np.ndarray:
        """The unit of each pair."""
        return self.keys % self.count

    def __or__(self, other: Pairs) -> Pairs:
        return Pairs(pd.unique(np.concatenate([self.keys, other.keys])), self.count)

    def __sub__(self, other: Pairs) -> Pairs:
        if not len(other.keys) or not len(self.keys):
            return self
        inside = pd.Index(other.keys).get_indexer(self.keys) >= 0
        return Pairs(self.keys[~inside], self.count)


def union(*parts: Pairs) -> Pairs:
    """Pairs in any of ``parts``."""
    return Pairs(pd.unique(np.concatenate([part.keys for part in parts])), parts[0].count)


def _along(edges: Csr, pairs: Pairs) -> Pairs:
    """Each pair's neighbours along ``edges``, with the pair's unit."""
    rows, units = pairs.rows, pairs.units
    lengths = edges.indptr[rows + 1] - edges.indptr[rows]
    return Pairs.of(edges.neighbours(rows), np.repeat(units, lengths), pairs.count)


def reach(start: Pairs, edges: Csr, stop: Pairs) -> Pairs:
    """Per unit, every row reachable from its start rows (start excluded unless reached
    again); rows of ``stop`` for that unit are neither entered nor returned."""
    seen = Pairs(_EMPTY, start.count)
    frontier = start
    while len(frontier.keys):
        frontier = _along(edges, frontier) - stop - seen
        seen = union(seen, frontier)
    return seen


def _by_code(
    starts: np.ndarray, rows: np.ndarray, codes: np.ndarray, units: np.ndarray, count: int
) -> Pairs:
    """Rows grouped under ``codes`` (a Lookup's layout), each paired with its unit."""
    lengths = starts[codes + 1] - starts[codes]
    total = int(lengths.sum())
    if not total:
        return Pairs(_EMPTY, count)
    shift = np.repeat(starts[codes] - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    rows_found = rows[np.arange(total) + shift]
    return Pairs.of(rows_found, np.repeat(units, lengths), count, distinct=True)


def tagged(index: Index, unit_ids: list[str]) -> Pairs:
    """Rows whose shot tag names a unit."""
    count = len(unit_ids)
    tags = index.by_tag
    tags.code(None)  # grouped
    position = {shot: u for u, shot in enumerate(unit_ids)}
    unit_of = np.asarray([position.get(str(t), -1) for t in tags.keys.tolist()] + [-1])
    units = unit_of[index.tag_codes]
    hits = np.flatnonzero(units >= 0)
    return Pairs.of(hits, units[hits], count, distinct=True)


def _same_prompt(index: Index, chain: Pairs) -> Pairs:
    codes = index.prompt_codes[chain.rows]
    given = codes >= 0
    if not given.any():
        return Pairs(_EMPTY, chain.count)
    distinct = Pairs.of(codes[given], chain.units[given], chain.count)
    prompts = index.by_prompt
    prompts.code(None)  # grouped
    return _by_code(prompts.starts, prompts.rows, distinct.rows, distinct.units, chain.count)


def _same_input(index: Index, chain: Pairs) -> Pairs:
    content = index.content_inputs
    if content.empty:
        return Pairs(_EMPTY, chain.count)
    members = pd.DataFrame({"row": chain.rows, "unit": chain.units})
    uris = members.merge(content, on="row")[["uri", "unit"]].drop_duplicates()
    shared = uris.merge(content, on="uri")
    return Pairs.of(shared["row"].to_numpy(), shared["unit"].to_numpy(), chain.count)


def attempts(graph: Graph, index: Index, chain: Pairs, unit_ids: list[str]) -> Pairs:
    """Every unit's sibling attempts, given every unit's kept chain (kept + ancestors)."""
    seeds = union(
        tagged(index, unit_ids),
        _same_input(index, chain),
        _along(graph.content_children, chain),
        _same_prompt(index, chain),
    )
    seeds = seeds - chain
    return union(seeds, reach(seeds, graph.content_children, chain))
