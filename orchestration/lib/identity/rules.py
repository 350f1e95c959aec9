"""Identity merge rules: limits per identifier type and a priority order, applied greedily.

Edges are merged strongest first (an edge is as trusted as its weaker end:
the lower type priority number wins; then the edge seen in more records, then
the older one). A merge that would give one person more values of a type than
its limit, or make the cluster larger than the guard, is refused and recorded
with its reason. Applied to a component that breaks no rule, the greedy merge
accepts every edge, so only components that break a rule need it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


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


def merge_order(edge: Edge) -> tuple:
    return (edge.priority, -edge.records, edge.first_seen, edge.node_a, edge.node_b)


def apply_rules(
    node_types: dict[int, str], edges: list[Edge], rules: dict[str, TypeRule], max_cluster_size: int
) -> MergeResult:
    parent = {node: node for node in node_types}
    members: dict[int, Counter] = {node: Counter({kind: 1}) for node, kind in node_types.items()}
    size = dict.fromkeys(node_types, 1)

    def find(node: int) -> int:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    result = MergeResult()
    for edge in sorted(edges, key=merge_order):
        a, b = find(edge.node_a), find(edge.node_b)
        if a == b:
            continue
        if size[a] + size[b] > max_cluster_size:
            result.dropped.append(
                (edge, f"would make a cluster of {size[a] + size[b]} identifiers (guard {max_cluster_size})")
            )
            continue
        combined = members[a] + members[b]
        broken = sorted(kind for kind, count in combined.items() if count > rules[kind].max_per_person)
        if broken:
            kind = broken[0]
            result.dropped.append(
                (edge, f"would give one person {combined[kind]} {kind} (limit {rules[kind].max_per_person})")
            )
            continue
        keep, gone = (a, b) if a < b else (b, a)  # the smallest node id names the cluster
        parent[gone] = keep
        members[keep], size[keep] = combined, size[a] + size[b]
        del members[gone], size[gone]
    result.root_of = {node: find(node) for node in node_types}
    return result
