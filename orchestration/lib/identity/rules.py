"""Identity merge rules: limits per identifier type and a priority order, applied greedily.

Edges are merged strongest first (an edge is as trusted as its weaker end:
the lower type priority number wins; then the edge seen in more records, then
the older one). A merge that would give one person more values of a type than
its limit, or make the cluster larger than the guard, is refused and recorded
with its reason. Applied to a component that breaks no rule, the greedy merge
accepts every edge, so only components that break a rule need it.

The merge itself (``merge_greedily``) works on dense node indexes and edges
already in merge order, so a caller holding the graph in SQL sorts and numbers
it there and hands over plain integer lists; ``apply_rules`` does that
preparation in Python for callers that hold nodes and edges as objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class TypeRule:
    identifier_type: str
    priority: int
    max_per_person: int


@dataclass(frozen=True)
class Edge:
    node_a: int
    node_b: int
    priority: int
    records: int
    first_seen: object  # anything orderable (a timestamp)


@dataclass
class MergeResult:
    root_of: dict[int, int] = field(default_factory=dict)  # node -> cluster root (smallest node id)
    dropped: list[tuple[Edge, str]] = field(default_factory=list)


@dataclass(frozen=True)
class GreedyMerge:
    parent: list[int]  # per node index; a cluster's root points at itself
    dropped: list[tuple[int, str]]  # (edge index in merge order, reason)


def merge_order(edge: Edge) -> tuple:
    return (edge.priority, -edge.records, edge.first_seen, edge.node_a, edge.node_b)


def merge_greedily(
    node_kind: list[int],
    ends_a: list[int],
    ends_b: list[int],
    kinds: list[TypeRule],
    max_cluster_size: int,
) -> GreedyMerge:
    """Union-find over edges in merge order; ``node_kind[i]`` indexes ``kinds`` for node ``i``."""
    limits = [rule.max_per_person for rule in kinds]
    names = [rule.identifier_type for rule in kinds]
    parent = list(range(len(node_kind)))
    size = [1] * len(node_kind)
    counts: list[dict[int, int] | None] = [None] * len(node_kind)  # per cluster and kind, once it has grown
    refused: list[tuple[int, int | None, int]] = []  # (edge index, broken kind or None for the guard, count)
    # plain lists and ints: this loop is the hot path on large zones
    for index, (a, b) in enumerate(zip(ends_a, ends_b, strict=True)):
        while parent[a] != a:
            parent[a] = a = parent[parent[a]]  # path halving
        while parent[b] != b:
            parent[b] = b = parent[parent[b]]
        if a == b:
            continue
        merged_size = size[a] + size[b]
        if merged_size > max_cluster_size:
            refused.append((index, None, merged_size))
            continue
        if size[a] < size[b]:
            a, b = b, a  # merge the smaller cluster into the larger, in place
        big = counts[a]
        if big is None:
            big = counts[a] = {node_kind[a]: 1}
        small = counts[b]
        if small is None:  # a single identifier joins: the common case
            kind = node_kind[b]
            total = big.get(kind, 0) + 1
            if total > limits[kind]:
                refused.append((index, kind, total))
                continue
            big[kind] = total
        else:
            broken = None  # the first broken kind by name, so the reason does not depend on dict order
            for kind, n in small.items():
                if big.get(kind, 0) + n > limits[kind] and (broken is None or names[kind] < names[broken]):
                    broken = kind
            if broken is not None:
                refused.append((index, broken, big.get(broken, 0) + small[broken]))
                continue
            for kind, n in small.items():
                big[kind] = big.get(kind, 0) + n
            counts[b] = None
        parent[b] = a
        size[a] = merged_size
    dropped = [
        (index, f"would make a cluster of {total} identifiers (guard {max_cluster_size})")
        if kind is None
        else (index, f"would give one person {total} {names[kind]} (limit {limits[kind]})")
        for index, kind, total in refused
    ]
    return GreedyMerge(parent, dropped)


def cluster_roots(parent: list[int], node_ids: np.ndarray) -> np.ndarray:
    """Each node's cluster named by its smallest node id (stable whatever order the merges took)."""
    root = np.asarray(parent, dtype=np.int64)
    while True:  # pointer jumping: every node ends at its tree's root
        jumped = root[root]
        if np.array_equal(jumped, root):
            break
        root = jumped
    smallest = np.full(len(root), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, root, node_ids)
    return smallest[root]


def apply_rules(
    node_types: dict[int, str], edges: list[Edge], rules: dict[str, TypeRule], max_cluster_size: int
) -> MergeResult:
    kinds = list(rules.values())
    kind_index = {rule.identifier_type: i for i, rule in enumerate(kinds)}
    node_ids = sorted(node_types)
    index_of = {node: i for i, node in enumerate(node_ids)}
    ordered = sorted(edges, key=merge_order)
    merge = merge_greedily(
        [kind_index[node_types[node]] for node in node_ids],
        [index_of[e.node_a] for e in ordered],
        [index_of[e.node_b] for e in ordered],
        kinds,
        max_cluster_size,
    )
    roots = cluster_roots(merge.parent, np.asarray(node_ids, dtype=np.int64))
    return MergeResult(
        root_of=dict(zip(node_ids, roots.tolist(), strict=True)),
        dropped=[(ordered[index], reason) for index, reason in merge.dropped],
    )
