"""Connected components of the identity graph, in passes of plain SQL.

The algorithm is FastSV (Zhang, Azad and Hu, 2020), a Shiloach-Vishkin
variant. Every node keeps a parent pointer; a pass computes each node's
grandparent, the smallest grandparent among its neighbours (mngf), and then
lowers parents three ways: stochastic hooking (a parent takes the mngf of its
children), aggressive hooking (a node takes its own mngf) and shortcutting (a
node takes its grandparent). Parents are node ids of the same component and
only decrease; when no parent changes, every node points at its
component's smallest node id. Trees are hooked whole, so long chains of people
who changed e-mail and device many times converge in a few passes, not one pass
per link.

The SQL is plain (joins, GROUP BY, least), so the same passes run on any engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..warehouse import scalar

MAX_PASSES = 100


@dataclass(frozen=True)
class ComponentsResult:
    table: str  # temp table (node BIGINT, label BIGINT) for every node that has an edge
    passes: int


def connected_components(con, edges: str, table: str = "_cc_labels") -> ComponentsResult:
    """Label the nodes of ``edges`` (a relation with columns node_a, node_b) by component."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _cc_edges AS
        SELECT node_a AS a, node_b AS b FROM {edges} WHERE node_a <> node_b
        UNION ALL
        SELECT node_b AS a, node_a AS b FROM {edges} WHERE node_a <> node_b
    """)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT DISTINCT a AS node, a AS label FROM _cc_edges")
    passes = 0
    while True:
        passes += 1
        if passes > MAX_PASSES:
            raise RuntimeError(f"connected components did not converge in {MAX_PASSES} passes")
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _cc_next AS
            WITH grand AS (      -- gf(v) = parent(parent(v))
                SELECT v.node, v.label AS parent, p.label AS grandparent
                FROM {table} AS v JOIN {table} AS p ON p.node = v.label
            ),
            mngf AS (            -- smallest grandparent among the neighbours
                SELECT e.a AS node, min(g.grandparent) AS mngf
                FROM _cc_edges AS e JOIN grand AS g ON g.node = e.b
                GROUP BY e.a
            ),
            candidates AS (
                SELECT g.node, least(g.parent, g.grandparent, m.mngf) AS label     -- aggressive + shortcut
                FROM grand AS g JOIN mngf AS m ON m.node = g.node
                UNION ALL
                SELECT g.parent AS node, m.mngf AS label                           -- stochastic hooking
                FROM grand AS g JOIN mngf AS m ON m.node = g.node
            )
            SELECT node, min(label) AS label FROM candidates GROUP BY node
        """)
        # no parent moved, so no grandparent did either (FastSV's own test, made cheaper)
        changed = scalar(
            con,
            f"""
            SELECT count(*) FROM _cc_next AS n JOIN {table} AS l ON l.node = n.node WHERE n.label <> l.label
        """,
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM _cc_next")
        if changed == 0:
            break
    # at the fixed point parents may still be one hop from the root: finish with shortcuts
    while scalar(
        con,
        f"""
            SELECT count(*) FROM {table} AS v JOIN {table} AS p ON p.node = v.label WHERE p.label <> v.label
          """,
    ):
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {table} AS
            SELECT v.node, p.label FROM {table} AS v JOIN {table} AS p ON p.node = v.label
        """)
    con.execute("DROP TABLE IF EXISTS _cc_next")
    con.execute("DROP TABLE IF EXISTS _cc_edges")
    return ComponentsResult(table, passes)


def large_star_small_star(con, edges: str, table: str = "_lsss_labels") -> ComponentsResult:
    """The textbook baseline (Kiveris et al., 2014), in plain SQL, for the benchmark and as a cross-check.

    Alternates large-star (link every larger neighbour to the smallest in the
    neighbourhood) and small-star (link every smaller-or-equal neighbour to the
    smallest among them) until the edge set stops changing.
    """
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ls_e AS
        SELECT DISTINCT least(node_a, node_b) AS u, greatest(node_a, node_b) AS v FROM {edges} WHERE node_a <> node_b
    """)
    passes = 0
    while True:
        passes += 1
        if passes > MAX_PASSES:
            raise RuntimeError(f"large-star/small-star did not converge in {MAX_PASSES} passes")
        # large-star: for each u, m = min(neighbours + u); emit (v, m) for neighbours v > u
        con.execute("""
            CREATE OR REPLACE TEMP TABLE _ls_large AS
            WITH both_ways AS (SELECT u AS x, v AS y FROM _ls_e UNION ALL SELECT v, u FROM _ls_e),
            m AS (SELECT x, least(x, min(y)) AS m FROM both_ways GROUP BY x)
            SELECT DISTINCT least(b.y, m.m) AS u, greatest(b.y, m.m) AS v
            FROM both_ways AS b JOIN m ON m.x = b.x
            WHERE b.y > b.x AND b.y <> m.m
        """)
        # small-star: for each u, m = min(neighbours <= u, u); emit (v, m) for those neighbours and (u, m)
        con.execute("""
            CREATE OR REPLACE TEMP TABLE _ls_small AS
            WITH both_ways AS (SELECT u AS x, v AS y FROM _ls_large UNION ALL SELECT v, u FROM _ls_large),
            lower_n AS (SELECT x, y FROM both_ways WHERE y <= x),
            m AS (SELECT x, least(x, min(y)) AS m FROM lower_n GROUP BY x)
            SELECT DISTINCT least(l.y, m.m) AS u, greatest(l.y, m.m) AS v
            FROM lower_n AS l JOIN m ON m.x = l.x WHERE l.y <> m.m
            UNION
            SELECT DISTINCT m.m AS u, m.x AS v FROM m WHERE m.x <> m.m

        """)
        changed = scalar(
            con,
            """
            SELECT (SELECT count(*) FROM (SELECT * FROM _ls_small EXCEPT SELECT * FROM _ls_e))
                 + (SELECT count(*) FROM (SELECT * FROM _ls_e EXCEPT SELECT * FROM _ls_small))
        """,
        )
        con.execute("CREATE OR REPLACE TEMP TABLE _ls_e AS SELECT * FROM _ls_small")
        if changed == 0:
            break
    # at convergence every component is a star around its smallest node
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT v AS node, min(u) AS label FROM _ls_e GROUP BY v
        UNION ALL
        SELECT DISTINCT u AS node, u AS label FROM _ls_e WHERE u NOT IN (SELECT v FROM _ls_e)
    """)
    for temp in ("_ls_e", "_ls_large", "_ls_small"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    return ComponentsResult(table, passes)
