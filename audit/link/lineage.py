"""Lineage: which generation made the input of which, across platforms.

An edge runs from a parent to a child when the child names the parent in ``parent_ids``, lists
``gen:<parent id>`` as an input, or takes as input a URL (or a file name no other generation
output) that the parent produced. Edges through style, character, voice or model references
(:data:`~audit.link.keys.REFERENCE_ROLES`) count for ancestry but not for sibling attempts.
Every walk keeps a visited set, so a cycle in the records cannot hang it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from audit.link.keys import REFERENCE_ROLES, Index
from audit.link.names import basename
from audit.models import Generation

#: Warnings of one kind listed one by one before they are summed up in one line.
MAX_LISTED = 20


@dataclass
class Graph:
    """Edges by generation position: all parents, and content children (no reference edges)."""

    parents: list[list[int]]
    content_children: list[list[int]]
    warnings: list[str] = field(default_factory=list)


def _where(gen: Generation) -> str:
    return f"{gen.id} ({gen.source_file}:{gen.source_locator})"


def _resolve_uri(index: Index, uri: str) -> list[int]:
    hits = index.by_url.get(uri)
    if hits:
        return hits
    name = basename(uri)
    named = index.by_output_name.get(name.lower(), []) if name else []
    return named if len(named) == 1 else []


def _parents_of(index: Index, i: int, dangling: list[str]) -> list[tuple[int, bool]]:
    """(parent, is a content edge) pairs of generation ``i``; unknown ids go to ``dangling``."""
    gen = index.gens[i]
    found: list[tuple[int, bool]] = []
    named = [(pid, True) for pid in gen.parent_ids]
    named += [
        (r.uri[4:], r.role not in REFERENCE_ROLES) for r in gen.inputs if r.uri.startswith("gen:")
    ]
    for pid, content in named:
        j = index.by_id.get(pid)
        if j is None and ":" not in pid:
            j = index.by_id.get(f"{gen.platform}:{pid}")
        if j is None:
            dangling.append(
                f"lineage: {_where(gen)} names parent '{pid}', which was not "
                "ingested; its ancestry stops there"
            )
        else:
            found.append((j, content))
    for ref in gen.inputs:
        if not ref.uri.startswith("gen:"):
            found += [(j, ref.role not in REFERENCE_ROLES) for j in _resolve_uri(index, ref.uri)]
    return found


def build_graph(index: Index) -> Graph:
    """Parent and child lists for every generation, with dangling-reference and cycle warnings."""
    count = len(index.gens)
    parents: list[list[int]] = [[] for _ in range(count)]
    children: list[list[int]] = [[] for _ in range(count)]
    dangling: list[str] = []
    self_loops: list[str] = []
    for i in range(count):
        for j, content in _parents_of(index, i, dangling):
            if j == i:
                self_loops.append(
                    f"lineage cycle: {_where(index.gens[i])} is its own input; that edge is ignored"
                )
                continue
            if j not in parents[i]:
                parents[i].append(j)
            if content and (not children[j] or children[j][-1] != i):
                children[j].append(i)
    graph = Graph(parents, children)
    graph.warnings += _capped(dangling, "dangling lineage references")
    graph.warnings += _capped(self_loops + find_cycles(index, parents), "lineage cycles")
    return graph


def _capped(lines: list[str], what: str) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return lines
    return [*lines[:MAX_LISTED], f"… and {len(lines) - MAX_LISTED} more {what}"]


def find_cycles(index: Index, parents: list[list[int]]) -> list[str]:
    """One warning per cycle closed during a depth-first walk over parents (iterative)."""
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
                ids = " → ".join(index.gens[k].id for k in loop)
                found.append(
                    f"lineage cycle: {ids} (child → parent); each generation is counted once"
                )
            elif state[nxt] == 0:
                state[nxt] = 1
                path.append(nxt)
                cursors.append(0)
    return found


def reach(start: Iterable[int], edges: list[list[int]], stop: set[int] | None = None) -> set[int]:
    """Every node reachable from ``start`` along ``edges`` (start excluded unless reached again);
    nodes in ``stop`` are neither entered nor returned."""
    blocked = stop or set()
    seen: set[int] = set()
    todo = list(start)
    while todo:
        node = todo.pop()
        for nxt in edges[node]:
            if nxt not in seen and nxt not in blocked:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def attempts_for(graph: Graph, index: Index, chain: set[int], shot_id: str) -> set[int]:
    """Sibling attempts of a shot whose kept chain (kept + ancestors) is ``chain``.

    Seeds: generations tagged for the shot; sharing a content input with the chain; content
    children of a chain member (rerolls, variations, other upscales of an ancestor); whose
    normalised prompt equals a chain member's. Then every content descendant of a seed: an
    abandoned branch was work for the shot.
    """
    seeds: set[int] = set(index.by_tag.get(shot_id, ()))
    for member in chain:
        for uri in index.content_inputs[member]:
            seeds.update(index.by_input.get(uri, ()))
        seeds.update(graph.content_children[member])
        prompt = index.prompt_keys[member]
        if prompt:
            seeds.update(index.by_prompt.get(prompt, ()))
    seeds -= chain
    return seeds | reach(seeds, graph.content_children, stop=chain)
