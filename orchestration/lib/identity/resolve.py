"""Identity resolution: from the graph dbt builds to stable customer keys, in one transaction.

Reads intermediate.int_identity_nodes / int_identity_edges and the rules in
config.identity_identifier_types; writes the schema ``identity``:

- customer_identifiers   every identifier with its customer_key (replaced each run)
- customer_keys          every key ever issued, when, and what it was merged into
- customer_key_changes   merges and splits, for tools that must follow them
- dropped_edges          links refused by the merge rules, with the reason
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from ..warehouse import scalar, transaction
from .components import connected_components
from .keys import assign_keys
from .rules import TypeRule, cluster_roots, merge_greedily

DEFAULT_MAX_CLUSTER_SIZE = 200

# No PRIMARY KEY constraints: DuckDB checks them eagerly within a transaction that deletes and
# re-inserts the same keys. Uniqueness is tested by dbt on the marts built from these tables.
DDL = [
    "CREATE SCHEMA IF NOT EXISTS identity",
    """CREATE TABLE IF NOT EXISTS identity.customer_keys (
        customer_key VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
        retired_at TIMESTAMPTZ, merged_into VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS identity.customer_key_changes (
        old_key VARCHAR NOT NULL, new_key VARCHAR NOT NULL, changed_at TIMESTAMPTZ NOT NULL,
        reason VARCHAR NOT NULL, identifiers_moved INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS identity.customer_identifiers (
        identifier_type VARCHAR NOT NULL, identifier_value VARCHAR NOT NULL, customer_key VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS identity.dropped_edges (
        identifier_type_a VARCHAR, identifier_value_a VARCHAR, identifier_type_b VARCHAR, identifier_value_b VARCHAR,
        edge_priority INTEGER, records BIGINT, reason VARCHAR NOT NULL, decided_at TIMESTAMPTZ NOT NULL)""",
]


@dataclass(frozen=True)
class ResolutionReport:
    nodes: int
    edges: int
    component_passes: int
    components_breaking_rules: int
    dropped_edges: int
    customers: int
    new_keys: int
    merges: int
    splits: int
    seconds_components: float
    seconds_total: float


def read_rules(con) -> dict[str, TypeRule]:
    rows = con.execute(
        "SELECT identifier_type, priority, max_per_person FROM config.identity_identifier_types"
    ).fetchall()
    return {kind: TypeRule(kind, priority, limit) for kind, priority, limit in rows}


def resolve(con, secret: bytes, now: datetime, max_cluster_size: int = DEFAULT_MAX_CLUSTER_SIZE) -> ResolutionReport:
    started = time.perf_counter()
    for statement in DDL:
        con.execute(statement)
    rules = read_rules(con)
    nodes = scalar(con, "SELECT count(*) FROM intermediate.int_identity_nodes")
    edges = scalar(con, "SELECT count(*) FROM intermediate.int_identity_edges")

    components = connected_components(con, "intermediate.int_identity_edges")
    seconds_components = time.perf_counter() - started

    # components that break a rule, and which identifier types they break (more values than the limit)
    con.register(
        "_limits_df",
        {
            "identifier_type": np.array([r.identifier_type for r in rules.values()], dtype=object),
            "max_per_person": np.array([r.max_per_person for r in rules.values()], dtype=np.int64),
        },
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _component_types AS
        SELECT l.label, n.identifier_type, count(*) AS n FROM {components.table} AS l
        JOIN intermediate.int_identity_nodes AS n ON n.node_id = l.node
        GROUP BY l.label, n.identifier_type
    """)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _breaking AS
        SELECT c.label, sum(c.n) AS size,
               list(c.identifier_type) FILTER (WHERE c.n > t.max_per_person) AS broken_types
        FROM _component_types AS c JOIN _limits_df AS t USING (identifier_type)
        GROUP BY c.label
        HAVING sum(c.n) > $guard OR count(*) FILTER (WHERE c.n > t.max_per_person) > 0
    """,
        {"guard": int(max_cluster_size)},
    )
    con.unregister("_limits_df")
    # A node whose type its component does not break, with a single link ("free leaf"), can never change a
    # merge decision: accept its link up front (exact while the component is within the size guard), and
    # give the greedy merge only the rest.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _breaking_edges AS
        SELECT e.* FROM intermediate.int_identity_edges AS e
        JOIN {components.table} AS l ON l.node = e.node_a
        WHERE l.label IN (SELECT label FROM _breaking)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _free_leaves AS
        SELECT d.node, d.neighbour FROM {components.degrees} AS d
        JOIN {components.table} AS l ON l.node = d.node
        JOIN intermediate.int_identity_nodes AS n ON n.node_id = d.node
        JOIN _breaking AS b ON b.label = l.label
        WHERE d.degree = 1 AND b.size <= {int(max_cluster_size)}
          AND NOT list_contains(coalesce(b.broken_types, []), n.identifier_type)
    """)
    # the greedy merge's input, numbered densely and sorted in merge order by the engine
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _greedy_nodes AS
        SELECT l.node, n.identifier_type, row_number() OVER (ORDER BY l.node) - 1 AS idx
        FROM {components.table} AS l
        JOIN intermediate.int_identity_nodes AS n ON n.node_id = l.node
        WHERE l.label IN (SELECT label FROM _breaking) AND l.node NOT IN (SELECT node FROM _free_leaves)
    """)
    greedy_nodes = con.execute("SELECT node, identifier_type FROM _greedy_nodes ORDER BY idx").fetchnumpy()
    greedy_edges = con.execute("""
        SELECT a.idx AS a, b.idx AS b, e.node_a, e.node_b, e.edge_priority, e.records
        FROM _breaking_edges AS e
        JOIN _greedy_nodes AS a ON a.node = e.node_a
        JOIN _greedy_nodes AS b ON b.node = e.node_b
        ORDER BY e.edge_priority, e.records DESC, e.first_seen_at NULLS LAST, e.node_a, e.node_b
    """).fetchnumpy()
    kinds = list(rules.values())
    kind_index = {rule.identifier_type: i for i, rule in enumerate(kinds)}
    merged = merge_greedily(
        [kind_index[kind] for kind in greedy_nodes["identifier_type"].tolist()],
        greedy_edges["a"].tolist(),
        greedy_edges["b"].tolist(),
        kinds,
        max_cluster_size,
    )
    breaking = scalar(con, "SELECT count(*) FROM _breaking")

    node_ids = greedy_nodes["node"].astype("int64")
    con.register("_roots_df", {"node": node_ids, "root": cluster_roots(merged.parent, node_ids)})
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _greedy_roots AS
        SELECT node, root FROM _roots_df
        UNION ALL
        SELECT f.node, r.root FROM _free_leaves AS f JOIN _roots_df AS r ON r.node = f.neighbour  -- a free leaf
    """)
    con.unregister("_roots_df")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _clusters AS
        SELECT coalesce(r.root, l.label, n.node_id) AS cluster_id,   -- a node without links is a person alone
               n.identifier_type, n.identifier_value, n.first_seen_at
        FROM intermediate.int_identity_nodes AS n
        LEFT JOIN {components.table} AS l ON l.node = n.node_id
        LEFT JOIN _greedy_roots AS r ON r.node = n.node_id
    """)
    keys = assign_keys(con, "_clusters", secret)
    customers = scalar(con, "SELECT count(*) FROM _key_of_cluster")
    con.register("_dropped_df", _dropped_frame(greedy_edges, merged.dropped))
    try:
        with transaction(con):
            con.execute("DELETE FROM identity.customer_identifiers")
            con.execute("""
                INSERT INTO identity.customer_identifiers
                SELECT c.identifier_type, c.identifier_value, k.customer_key
                FROM _clusters AS c JOIN _key_of_cluster AS k USING (cluster_id)
            """)
            con.execute(
                "INSERT INTO identity.customer_keys "
                "SELECT customer_key, $now, NULL, NULL FROM _key_of_cluster WHERE is_new",
                {"now": now},
            )
            con.execute(
                """
                UPDATE identity.customer_keys AS k SET retired_at = $now, merged_into = c.new_key
                FROM _key_changes AS c WHERE c.reason = 'merge' AND c.old_key = k.customer_key
            """,
                {"now": now},
            )
            con.execute(
                "INSERT INTO identity.customer_key_changes "
                "SELECT old_key, new_key, $now, reason, identifiers_moved FROM _key_changes",
                {"now": now},
            )
            con.execute("DELETE FROM identity.dropped_edges")
            con.execute(
                """
                INSERT INTO identity.dropped_edges
                SELECT a.identifier_type, a.identifier_value, b.identifier_type, b.identifier_value,
                       d.edge_priority, d.records, d.reason, $now
                FROM _dropped_df AS d
                JOIN intermediate.int_identity_nodes AS a ON a.node_id = d.node_a
                JOIN intermediate.int_identity_nodes AS b ON b.node_id = d.node_b
            """,
                {"now": now},
            )
    finally:
        con.unregister("_dropped_df")
    return ResolutionReport(
        nodes=nodes,
        edges=edges,
        component_passes=components.passes,
        components_breaking_rules=breaking,
        dropped_edges=len(merged.dropped),
        customers=customers,
        new_keys=keys.new_keys,
        merges=keys.merges,
        splits=keys.splits,
        seconds_components=seconds_components,
        seconds_total=time.perf_counter() - started,
    )


def _dropped_frame(edges: dict, dropped: list[tuple[int, str]]) -> dict[str, np.ndarray]:
    """The refused links by node id, with the edge's priority, records and the reason (columns DuckDB scans)."""
    picked = np.asarray([index for index, _ in dropped], dtype=np.int64)
    return {
        "node_a": edges["node_a"][picked].astype(np.int64),
        "node_b": edges["node_b"][picked].astype(np.int64),
        "edge_priority": edges["edge_priority"][picked].astype(np.int64),
        "records": edges["records"][picked].astype(np.int64),
        "reason": np.array([reason for _, reason in dropped], dtype=object),
    }
