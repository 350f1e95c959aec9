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

Before the passes, leaves are set aside: an identifier seen with a single
other one (a device used on one account, an order's one address) cannot join
two components, so the passes run on the rest and each leaf then takes its
neighbour's label. On the identity graph this is about half of the links.

The SQL is plain (joins, GROUP BY, least, window min), so the same passes run on any engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..warehouse import scalar

MAX_PASSES = 100


@dataclass(frozen=True)
class ComponentsResult:
    table: str  # temp table (node BIGINT, label BIGINT) for every node that has an edge
    passes: int
    # temp table (node, degree, neighbour: the smallest) for every node that has an edge, when computed
    degrees: str | None = None


def connected_components(con, edges: str, table: str = "_cc_labels") -> ComponentsResult:
    """Label the nodes of ``edges`` (a relation with columns node_a, node_b) by component.

    Every node that has an edge gets the smallest node id of its component. The nodes' degrees, which set the
    leaves aside, stay in ``_cc_degree`` for the caller (identity resolution's free leaves are the same ones).
    """
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _cc_all AS
        SELECT node_a AS a, node_b AS b FROM {edges} WHERE node_a <> node_b
        UNION ALL
        SELECT node_b AS a, node_a AS b FROM {edges} WHERE node_a <> node_b
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _cc_degree AS
        SELECT a AS node, count(*) AS degree, min(b) AS neighbour FROM _cc_all GROUP BY a
    """)
    # the passes need only the links between inner nodes (degree above one)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _cc_edges AS
        SELECT a, b FROM _cc_all
        WHERE a NOT IN (SELECT node FROM _cc_degree WHERE degree = 1)
          AND b NOT IN (SELECT node FROM _cc_degree WHERE degree = 1)
    """)
    con.execute("DROP TABLE _cc_all")
    passes = _fastsv(con, "_cc_edges", "_cc_inner")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH attached AS (
            SELECT d.node,
                   CASE WHEN d.degree > 1 THEN coalesce(i.label, d.node)            -- a star's centre is its own root
                        WHEN n.degree > 1 THEN coalesce(ni.label, d.neighbour)      -- a leaf follows its neighbour
                        ELSE least(d.node, d.neighbour) END AS root                 -- two leaves linked to each other
            FROM _cc_degree AS d
            JOIN _cc_degree AS n ON n.node = d.neighbour
            LEFT JOIN _cc_inner AS i ON i.node = d.node
            LEFT JOIN _cc_inner AS ni ON ni.node = d.neighbour
        )
        SELECT node, min(node) OVER (PARTITION BY root) AS label FROM attached   -- a leaf may be the smallest id
    """)
    for temp in ("_cc_edges", "_cc_inner"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    return ComponentsResult(table, passes, degrees="_cc_degree")


def _fastsv(con, edges: str, table: str) -> int:
    """FastSV passes over ``edges`` (a, b in both directions) into ``table`` (node, label); returns the passes."""
    # start from each node's smallest neighbour (the first hooking, for the price of listing the nodes)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT a AS node, least(a, min(b)) AS label FROM {edges} GROUP BY a"
    )
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
                FROM {edges} AS e JOIN grand AS g ON g.node = e.b
                GROUP BY e.a
            ),
            candidates AS (
                SELECT g.node, least(g.parent, g.grandparent, m.mngf) AS label,    -- aggressive + shortcut
                       g.parent
                FROM grand AS g JOIN mngf AS m ON m.node = g.node
                UNION ALL
                SELECT g.parent AS node, m.mngf AS label, NULL                      -- stochastic hooking
                FROM grand AS g JOIN mngf AS m ON m.node = g.node
            )
            SELECT node, min(label) AS label, min(parent) AS parent FROM candidates GROUP BY node
        """)
        # no parent moved, so no grandparent did either (FastSV's own test; every node has a first-branch row)
        changed = scalar(con, "SELECT count(*) FROM _cc_next WHERE label <> parent")
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT node, label FROM _cc_next")
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
    return passes


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
