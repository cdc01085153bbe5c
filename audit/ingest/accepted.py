"""Accepted records as they arrive: objects one by one, canonical CSV rows a table at a time.

The walk's rule for a duplicate id holds across both: the first record seen is kept and a later
one only fills the fields it left empty. Rows of a table involved in a duplicate are made objects
(they are few), so that the rule is applied by one piece of code (``walk._fill``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from audit.base.gentable import GenTable, concat, from_generations, sorted_table
from audit.base.models import Generation

Fill = Callable[[Generation, Generation], Generation]


@dataclass
class _Rows:
    """A table read in one go, and which of its rows are still table rows."""

    table: GenTable
    alive: np.ndarray
    index: pd.Index


@dataclass
class Accepted:
    """Records accepted so far: ``objects`` by id, and tables of rows."""

    fill: Fill
    objects: dict[str, Generation] = field(default_factory=dict)
    tables: list[_Rows] = field(default_factory=list)

    def find(self, gen_id: str) -> Generation | None:
        """The accepted record with this id (a table row becomes an object)."""
        found = self.objects.get(gen_id)
        if found is not None or not self.tables:
            return found
        for rows in self.tables:
            found_at = [
                k
                for k in rows.index.get_indexer_for(pd.Index([gen_id], dtype=object)).tolist()
                if k >= 0
            ]
            for at in (k for k in found_at if rows.alive[k]):
                rows.alive[at] = False
                [gen] = rows.table.build(np.array([at]))
                self.objects[gen_id] = gen
                return gen
        return None

    def add(self, gen: Generation) -> bool:
        """Accept ``gen``, or fill the record already accepted under its id (False)."""
        kept = self.find(gen.id)
        if kept is None:
            self.objects[gen.id] = gen
            return True
        self.objects[gen.id] = self.fill(kept, gen)
        return False

    def add_table(self, table: GenTable) -> tuple[int, int]:
        """Accept a table's rows; rows whose id was seen go one by one. (accepted, merged)."""
        ids = table.id_index()
        seen = np.zeros(len(ids), dtype=bool) if ids.is_unique else ids.duplicated(keep=False)
        if self.objects:
            seen |= ids.isin(list(self.objects))
        for rows in self.tables:
            seen |= ids.isin(rows.index[rows.alive])
        alive = ~np.asarray(seen)
        accepted = int(alive.sum())
        merged = 0
        self.tables.append(_Rows(table, alive, ids))
        one_by_one = np.flatnonzero(~alive)
        for gen in table.build(one_by_one):
            if self.add(gen):
                accepted += 1
            else:
                merged += 1
        return accepted, merged

    def table(self) -> GenTable:
        """Everything accepted, in the canonical order (created_at, id)."""
        parts = [from_generations(list(self.objects.values()))] if self.objects else []
        for rows in self.tables:
            keep = np.flatnonzero(rows.alive)
            parts.append(rows.table if len(keep) == len(rows.table) else rows.table.take(keep))
        return sorted_table(concat(parts))
