"""Identity merge rules: limits per identifier type and a priority order, applied greedily.

Edges are merged strongest first (an edge is as trusted as its weaker end:
the lower type priority number wins; then the edge seen in more records, then
the older one). A merge that would give one person more values of a type than
its limit, or make the cluster larger than the guard, is refused and recorded
with its reason. Applied to a component that breaks no rule, the greedy merge
accepts every edge, so only components that break a rule need it.
"""

from __future__ import annotations

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
    limits = {kind: rule.max_per_person for kind, rule in rules.items()}
    parent = {node: node for node in node_types}
    size = dict.fromkeys(node_types, 1)
    smallest = {node: node for node in node_types}  # the smallest node id names a cluster
    counts: dict[int, dict[str, int]] = {node: {kind: 1} for node, kind in node_types.items()}
    result = MergeResult()
    # plain tuples sort in C; this loop is the hot path on large zones
    for _priority, _records, _seen, node_a, node_b, edge in sorted((*merge_order(e), e) for e in edges):
        a = node_a
        while parent[a] != a:
            parent[a] = parent[parent[a]]  # path halving
            a = parent[a]
        b = node_b
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        if a == b:
            continue
        merged_size = size[a] + size[b]
        if merged_size > max_cluster_size:
            result.dropped.append(
                (edge, f"would make a cluster of {merged_size} identifiers (guard {max_cluster_size})")
            )
            continue
        big, small = (a, b) if size[a] >= size[b] else (b, a)
        big_counts, small_counts = counts[big], counts[small]
        broken = [kind for kind, n in small_counts.items() if big_counts.get(kind, 0) + n > limits[kind]]
        if broken:
            kind = min(broken)
            total = big_counts.get(kind, 0) + small_counts[kind]
            result.dropped.append((edge, f"would give one person {total} {kind} (limit {limits[kind]})"))
            continue
        for kind, n in small_counts.items():  # merge the smaller cluster into the larger, in place
            big_counts[kind] = big_counts.get(kind, 0) + n
        parent[small] = big
        size[big] = merged_size
        if smallest[small] < smallest[big]:
            smallest[big] = smallest[small]
        del counts[small]

    def find(node: int) -> int:
        while parent[node] != node:
            node = parent[node]
        return node

    result.root_of = {node: smallest[find(node)] for node in node_types}
    return result
