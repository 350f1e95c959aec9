"""Connected components in SQL passes, exact against a union-find, fast on long chains."""

import random

import duckdb
import pandas as pd
import pytest

from orchestration.lib.identity.components import connected_components, large_star_small_star


def union_find_labels(edges: list[tuple[int, int]]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}


def run(algorithm, edges: list[tuple[int, int]]) -> tuple[dict[int, int], int]:
    con = duckdb.connect()
    con.register("edges_df", pd.DataFrame(edges, columns=["node_a", "node_b"], dtype="int64"))
    con.execute("CREATE TABLE edges AS SELECT * FROM edges_df")
    result = algorithm(con, "edges")
    labels = dict(con.execute(f"SELECT node, label FROM {result.table}").fetchall())
    return labels, result.passes


def random_graph(seed: int, nodes: int, edges: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    return [(rng.randrange(nodes), rng.randrange(nodes)) for _ in range(edges)]


def chain(length: int, seed: int) -> list[tuple[int, int]]:
    """People who changed e-mail and device many times: one long path, with shuffled node ids."""
    ids = list(range(1, length + 1))
    random.Random(seed).shuffle(ids)
    return [(ids[i], ids[i + 1]) for i in range(length - 1)]


@pytest.mark.parametrize("algorithm", [connected_components, large_star_small_star])
@pytest.mark.parametrize(("seed", "nodes", "edges"), [(1, 50, 30), (2, 500, 400), (3, 2000, 2500), (4, 300, 900)])
def test_exact_on_random_graphs(algorithm, seed, nodes, edges):
    graph = [(a, b) for a, b in random_graph(seed, nodes, edges) if a != b]
    labels, _ = run(algorithm, graph)
    assert labels == union_find_labels(graph)


@pytest.mark.parametrize("algorithm", [connected_components, large_star_small_star])
def test_long_chains_converge_in_few_passes(algorithm):
    graph = chain(5000, seed=7) + [(10_000 + a, 10_000 + b) for a, b in chain(300, seed=8)]
    labels, passes = run(algorithm, graph)
    assert labels == union_find_labels(graph)
    assert passes <= 20  # a plain label propagation would need ~5000


def test_pointer_jumping_needs_about_log2_passes():
    _, passes = run(connected_components, chain(4096, seed=3))
    assert passes <= 16


def test_leaves_set_aside_still_name_their_component():
    # a star whose centre has only leaves, a lone pair, and a cycle whose smallest id is a leaf hanging off it
    star = [(50, 51), (50, 52), (50, 53)]
    pair = [(70, 60)]
    cycle_with_small_leaf = [(10, 11), (11, 12), (12, 10), (12, 1)]
    graph = star + pair + cycle_with_small_leaf
    labels, _ = run(connected_components, graph)
    assert labels == union_find_labels(graph)
    assert labels[11] == 1 and labels[53] == 50 and labels[70] == 60
