"""Lineage: which generation made the input of which, across platforms.

An edge runs from a parent to a child when the child names the parent in ``parent_ids``, lists
``gen:<parent id>`` as an input, takes as input a URL (or a file name no other generation
output) that the parent produced, or an input whose path holds the parent's platform id. Edges through style, character, voice or model references
(:data:`~audit.link.keys.REFERENCE_ROLES`) count for ancestry but not for sibling attempts.
Every walk keeps a visited set, so a cycle in the records cannot hang it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import numpy as np
import pandas as pd

from audit.base.codes import stable_order
from audit.base.gentable import GenTable
from audit.link.keys import MIN_PID_CHARS, REFERENCE_ROLES, Index
from audit.link.names import basename

_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
#: Only the end of a long path is searched for ids (the file name and its folder).
_PATH_CHARS = 240
#: A platform id spans at most this many tokens (a UUID: five).
MAX_ID_TOKENS = 5
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_DIGIT = re.compile(r"\d")
_SEPARATOR = re.compile(r"[\\/]")

#: Warnings of one kind listed one by one before they are summed up in one line.
MAX_LISTED = 20


@dataclass
class Csr:
    """Adjacency lists of nodes ``0..n-1`` as two arrays (compressed sparse rows)."""

    indptr: np.ndarray
    indices: np.ndarray

    @classmethod
    def from_pairs(cls, sources: np.ndarray, targets: np.ndarray, count: int) -> Csr:
        """Lists of ``targets`` by source, in the order the pairs are given."""
        order = stable_order(sources)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(sources, minlength=count))])
        return cls(indptr.astype(np.int64), targets[order].astype(np.int64))

    def degree(self) -> np.ndarray:
        """How many neighbours each node has."""
        return np.diff(self.indptr)

    def neighbours(self, nodes: np.ndarray) -> np.ndarray:
        """Every neighbour of ``nodes``, concatenated (repeats possible)."""
        starts, ends = self.indptr[nodes], self.indptr[nodes + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if not total:
            return _EMPTY
        shift = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        found: np.ndarray = self.indices[np.arange(total) + shift]
        return found

    def lists(self) -> list[list[int]]:
        """The adjacency as plain Python lists, one per node."""
        bounds = self.indptr.tolist()
        flat = self.indices.tolist()
        return [flat[a:b] for a, b in itertools.pairwise(bounds)]


_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass
class Graph:
    """Edges by row: all parents, and content children (no reference edges)."""

    parents: Csr
    content_children: Csr
    warnings: list[str] = field(default_factory=list)
    #: input URLs and paths found to be another generation's output (by any key)
    generated_inputs: frozenset[str] = frozenset()


def _where(table: GenTable, i: int) -> str:
    cols = table.cols
    return f"{cols['id'][i]} ({cols['source_file'][i]}:{cols['source_locator'][i]})"


def _named_edges(index: Index) -> pd.DataFrame:
    """Edges a record names (parent_ids, then gen: inputs), in row then list order."""
    table = index.table
    parents = table.parents.assign(pid=table.parents["value"], content=True, kind=0)
    gen_inputs = table.inputs[table.inputs["uri"].str.startswith("gen:")]
    gen_inputs = gen_inputs.assign(
        pid=gen_inputs["uri"].str.slice(4),
        content=~gen_inputs["role"].isin(REFERENCE_ROLES),
        kind=1,
    )
    columns = ["row", "pid", "content", "kind"]
    named = pd.concat([parents[columns], gen_inputs[columns]], ignore_index=True)
    named = named.sort_values(["row", "kind"], kind="stable").reset_index(drop=True)
    pids = named["pid"].to_numpy(dtype=object)
    found = index.by_id.get_indexer(pd.Index(pids, dtype=object)) if len(pids) else _EMPTY
    missing = np.flatnonzero((found < 0) & np.array([":" not in p for p in pids], dtype=bool))
    if len(missing):
        platforms = table.column("platform")[named["row"].to_numpy()[missing]]
        retry = [f"{p}:{pid}" for p, pid in zip(platforms, pids[missing], strict=True)]
        found[missing] = index.by_id.get_indexer(pd.Index(retry, dtype=object))
    return named.assign(parent=found)


def _resolve_uri(index: Index, uri: str, candidates: dict[str, set[str]]) -> tuple[list[int], bool]:
    """The records whose output a URL is; else the one record whose output has its file name;
    else the records whose platform id is among the tokens of its path (a Midjourney download
    ``…/<job uuid>_0.png`` given to Kling), as for clips (docs/linking.md, "Lineage"). The flag
    says the last key told."""
    hits = index.by_url.get(uri)
    if hits:
        return hits, False
    name = basename(uri)
    named = index.by_output_name.get(name.lower()) if name else []
    if len(named) == 1:
        return named, False
    cands = candidates.get(uri, ())
    return sorted({row for cand in cands for row in index.by_pid.get(cand)}), True


def input_id_candidates(index: Index) -> dict[str, set[str]]:
    """Per distinct input URL or path (``gen:`` inputs aside) that no output URL or unique output
    name explains: the runs of tokens of its last two path segments that may be a platform id
    (at most :data:`MAX_ID_TOKENS` tokens, :data:`~audit.link.keys.MIN_PID_CHARS` characters,
    a digit among them)."""
    inputs = index.table.inputs
    uris = dict.fromkeys(inputs.loc[~inputs["uri"].str.startswith("gen:"), "uri"].tolist())
    found = {}
    for uri in uris:
        if index.by_url.get(uri):
            continue
        name = basename(uri)
        if name and len(index.by_output_name.get(name.lower())) == 1:
            continue
        path = unquote(urlsplit(uri).path) if _SCHEME.match(uri) else uri
        tail = "/".join(_SEPARATOR.split(path.rstrip("/\\"))[-2:])[-_PATH_CHARS:]
        cands = {c for c in id_runs(tail) if len(c) >= MIN_PID_CHARS and _DIGIT.search(c)}
        if cands:
            found[uri] = cands
    return found


def id_runs(text: str) -> set[str]:
    """Runs of at most :data:`MAX_ID_TOKENS` whole tokens of ``text``, lower-cased (a UUID is
    five tokens, a Sora id two)."""
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    lowered = text.lower()
    return {
        lowered[start:end]
        for i, (start, _) in enumerate(spans)
        for (_, end) in spans[i : i + MAX_ID_TOKENS]
    }


def _uri_edges(
    index: Index, candidates: dict[str, set[str]]
) -> tuple[pd.DataFrame, frozenset[str]]:
    """Edges through input files another record output (by URL, else by a unique name, else by
    a platform id in the path), and the inputs so resolved; a record is never its own parent by
    name."""
    inputs = index.table.inputs
    plain = inputs[~inputs["uri"].str.startswith("gen:")]
    resolved = {
        uri: _resolve_uri(index, uri, candidates) for uri in dict.fromkeys(plain["uri"].tolist())
    }
    rows, parents, content = [], [], []
    for row, uri, role in plain[["row", "uri", "role"]].itertuples(index=False, name=None):
        found, by_token = resolved[uri]
        for j in found:
            if j == row and by_token:
                continue  # a record whose input path holds its own id: not an edge
            rows.append(row)
            parents.append(j)
            content.append(role not in REFERENCE_ROLES)
    frame = pd.DataFrame(
        {
            "row": np.asarray(rows, dtype=np.int64),
            "parent": np.asarray(parents, dtype=np.int64),
            "content": np.asarray(content, dtype=bool),
        }
    )
    return frame, frozenset(uri for uri, (found, _) in resolved.items() if found)


def build_graph(index: Index, candidates: dict[str, set[str]] | None = None) -> Graph:
    """Parent and child lists for every row, with dangling-reference and cycle warnings.

    ``candidates`` are the platform-id candidates of input paths (:func:`input_id_candidates`;
    computed here when not given)."""
    if candidates is None:
        candidates = input_id_candidates(index)
    table = index.table
    count = len(table)
    named = _named_edges(index)
    dangling = [
        f"lineage: {_where(table, row)} names parent '{pid}', which was not "
        "ingested; its ancestry stops there"
        for row, pid in named.loc[named["parent"] < 0, ["row", "pid"]].itertuples(
            index=False, name=None
        )
    ]
    columns = ["row", "parent", "content"]
    uri_edges, generated = _uri_edges(index, candidates)
    edges = pd.concat([named.loc[named["parent"] >= 0, columns], uri_edges])
    edges = edges.sort_values("row", kind="stable")
    loops = edges["row"].to_numpy() == edges["parent"].to_numpy()
    self_loops = [
        f"lineage cycle: {_where(table, row)} is its own input; that edge is ignored"
        for row in edges["row"].to_numpy()[loops].tolist()
    ]
    edges = edges[~loops]
    unique = edges.drop_duplicates(["row", "parent"])
    parents = Csr.from_pairs(unique["row"].to_numpy(), unique["parent"].to_numpy(), count)
    content = edges[edges["content"].to_numpy(dtype=bool)].drop_duplicates(["row", "parent"])
    children = Csr.from_pairs(content["parent"].to_numpy(), content["row"].to_numpy(), count)
    graph = Graph(parents, children, generated_inputs=generated)
    graph.warnings += _capped(dangling, "dangling lineage references")
    cycles = find_cycles(table, parents) if _has_cycle(parents) else []
    graph.warnings += _capped(self_loops + cycles, "lineage cycles")
    return graph


def _capped(lines: list[str], what: str) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return lines
    return [*lines[:MAX_LISTED], f"… and {len(lines) - MAX_LISTED} more {what}"]


def _has_cycle(parents: Csr) -> bool:
    """Peel nodes no remaining node names as parent, then nodes with no remaining parent:
    what is left lies on or between cycles."""
    count = len(parents.indptr) - 1
    children_left = np.bincount(parents.indices, minlength=count)
    parents_left = parents.degree().copy()
    alive = np.ones(count, dtype=bool)
    owner = np.repeat(np.arange(count), parents.degree())
    while True:
        gone = alive & ((parents_left == 0) | (children_left == 0))
        if not gone.any():
            return bool(alive.any())
        alive &= ~gone
        edge_gone = gone[owner] | gone[parents.indices]
        still = ~edge_gone
        children_left = np.bincount(parents.indices[still], minlength=count)
        parents_left = np.bincount(owner[still], minlength=count)
        owner, indices = owner[still], parents.indices[still]
        parents = Csr(np.concatenate([[0], np.cumsum(parents_left)]), indices)


def find_cycles(table: GenTable, parents_csr: Csr) -> list[str]:
    """One warning per cycle closed during a depth-first walk over parents (iterative)."""
    parents = parents_csr.lists()
    ids = table.column("id")
    state = [0] * len(parents)  # 0 unseen, 1 on the current path, 2 done
    found: list[str] = []
    for root in range(len(parents)):
        if state[root]:
            continue
        path = [root]
        cursors = [0]
        state[root] = 1
        while path:
            node, cursor = path[-1], cursors[-1]
            if cursor == len(parents[node]):
                state[node] = 2
                path.pop()
                cursors.pop()
                continue
            cursors[-1] += 1
            nxt = parents[node][cursor]
            if state[nxt] == 1:
                loop = [*path[path.index(nxt) :], nxt]
                chain = " → ".join(ids[k] for k in loop)
                found.append(
                    f"lineage cycle: {chain} (child → parent); each generation is counted once"
                )
            elif state[nxt] == 0:
                state[nxt] = 1
                path.append(nxt)
                cursors.append(0)
    return found
