"""Stable customer keys across runs, merges and splits, assigned in set-based SQL.

A cluster keeps the key its identifiers had before. When a key's identifiers
now sit in several clusters (a split), the cluster holding most of them keeps
it (ties: the cluster with the earliest identifier, then the smallest cluster
id); the others get new keys. When a cluster holds several old keys (a merge),
the oldest key survives and the others are retired into it. Every merge and
split is logged.

New keys are a keyed hash (SHA-256 over a per-installation secret and the
cluster's earliest identifier), so a rebuild from scratch gives the same keys
while a key reveals nothing about the identifier.

Input: a relation ``clusters(cluster_id, identifier_type, identifier_value,
first_seen_at)``; the previous assignment
``identity.customer_identifiers`` and the key register ``identity.customer_keys``.
Output: temp tables ``_key_of_cluster(cluster_id, customer_key, is_new)`` and
``_key_changes(old_key, new_key, reason, identifiers_moved)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..warehouse import scalar

KEY_HEX_CHARS = 20


@dataclass(frozen=True)
class KeyCounts:
    new_keys: int
    merges: int
    splits: int


def derive_key_sql(secret_hex: str, anchor: str, attempt: str = "''") -> str:
    """SQL for a new key: ck_ + the first hex digits of SHA-256(secret, anchor, attempt)."""
    return f"'ck_' || substr(sha256('{secret_hex}' || ':' || {anchor} || {attempt}), 1, {KEY_HEX_CHARS})"


def assign_keys(con, clusters: str, secret: bytes) -> KeyCounts:
    secret_hex = secret.hex()
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _cluster_anchor AS
        SELECT cluster_id, first_identifier.kind || ':' || first_identifier.value AS anchor, earliest
        FROM (
            SELECT cluster_id,
                   -- the earliest identifier (ties: type, value); structs compare field by field
                   min({{'seen': coalesce(first_seen_at, TIMESTAMPTZ '9999-12-31'),
                        'kind': identifier_type, 'value': identifier_value}}) AS first_identifier,
                   min(first_seen_at) AS earliest
            FROM {clusters} GROUP BY cluster_id
        )
    """)
    # how many of each old key's identifiers each cluster now holds, and which cluster keeps each key
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _holders AS
        SELECT p.customer_key, c.cluster_id, count(*) AS held
        FROM {clusters} AS c
        JOIN identity.customer_identifiers AS p
          ON p.identifier_type = c.identifier_type AND p.identifier_value = c.identifier_value
        GROUP BY p.customer_key, c.cluster_id
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _owner AS
        SELECT customer_key, cluster_id FROM (
            SELECT h.customer_key, h.cluster_id,
                   row_number() OVER (PARTITION BY h.customer_key
                                      ORDER BY h.held DESC, a.earliest, a.anchor, h.cluster_id) AS claim
            FROM _holders AS h JOIN _cluster_anchor AS a USING (cluster_id)
        ) WHERE claim = 1
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _won AS
        SELECT o.cluster_id, o.customer_key, k.created_at,
               row_number() OVER (PARTITION BY o.cluster_id ORDER BY k.created_at, o.customer_key) AS seniority
        FROM _owner AS o JOIN identity.customer_keys AS k USING (customer_key)
    """)
    # clusters that kept no key get a new one; a derived key that was ever issued is never reissued
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _key_of_cluster AS
        SELECT cluster_id, customer_key, false AS is_new FROM _won WHERE seniority = 1
        UNION ALL
        SELECT a.cluster_id, {derive_key_sql(secret_hex, "a.anchor")}, true
        FROM _cluster_anchor AS a WHERE a.cluster_id NOT IN (SELECT cluster_id FROM _won)
    """)
    attempt = 0
    while True:
        clashing = scalar(
            con,
            """
            SELECT count(*) FROM _key_of_cluster AS n
            WHERE n.is_new AND (n.customer_key IN (SELECT customer_key FROM identity.customer_keys)
                 OR n.customer_key IN (SELECT customer_key FROM _key_of_cluster GROUP BY 1 HAVING count(*) > 1))
        """,
        )
        if not clashing:
            break
        attempt += 1
        con.execute(f"""
            UPDATE _key_of_cluster AS n
            SET customer_key = {derive_key_sql(secret_hex, "a.anchor", f"'#{attempt}'")}
            FROM _cluster_anchor AS a
            WHERE a.cluster_id = n.cluster_id AND n.is_new
              AND (n.customer_key IN (SELECT customer_key FROM identity.customer_keys)
                   OR n.customer_key IN (SELECT customer_key FROM _key_of_cluster GROUP BY 1 HAVING count(*) > 1))
        """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _key_changes AS
        SELECT w.customer_key AS old_key, k.customer_key AS new_key, 'merge' AS reason, h.held AS identifiers_moved
        FROM _won AS w
        JOIN _key_of_cluster AS k USING (cluster_id)
        JOIN _holders AS h ON h.customer_key = w.customer_key AND h.cluster_id = w.cluster_id
        WHERE w.seniority > 1
        UNION ALL
        SELECT h.customer_key, k.customer_key, 'split', h.held
        FROM _holders AS h JOIN _key_of_cluster AS k USING (cluster_id)
        WHERE k.is_new
    """)
    new_keys, merges, splits = con.execute("""
        SELECT (SELECT count(*) FROM _key_of_cluster WHERE is_new),
               (SELECT count(*) FROM _key_changes WHERE reason = 'merge'),
               (SELECT count(*) FROM _key_changes WHERE reason = 'split')
    """).fetchall()[0]
    return KeyCounts(new_keys, merges, splits)
