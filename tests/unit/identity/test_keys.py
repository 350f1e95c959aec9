"""Customer keys (set-based SQL): stable across runs, the older key survives a merge, splits get new keys."""

from datetime import UTC, datetime

import duckdb
import pandas as pd
import pytest

from orchestration.lib.identity.keys import assign_keys
from orchestration.lib.identity.resolve import DDL

SECRET = b"test-secret"
JAN, FEB, MAR = (datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3))


@pytest.fixture
def con():
    con = duckdb.connect()
    for statement in DDL:
        con.execute(statement)
    return con


def remember(con, assignment: dict[str, str], created: dict[str, datetime]) -> None:
    """What an earlier run left: identifier -> key, and when each key was issued."""
    for identifier, key in assignment.items():
        kind, value = identifier.split(":", 1)
        con.execute("INSERT INTO identity.customer_identifiers VALUES (?, ?, ?)", [kind, value, key])
    for key, at in created.items():
        con.execute("INSERT INTO identity.customer_keys VALUES (?, ?, NULL, NULL)", [key, at])


def assign(con, clusters: dict[int, list[tuple[str, datetime]]], secret: bytes = SECRET):
    rows = [(cid, *ident.split(":", 1), seen) for cid, idents in clusters.items() for ident, seen in idents]
    con.register(
        "clusters_df",
        pd.DataFrame(rows, columns=["cluster_id", "identifier_type", "identifier_value", "first_seen_at"]),
    )
    counts = assign_keys(con, "clusters_df", secret)
    keys = dict(con.execute("SELECT cluster_id, customer_key FROM _key_of_cluster").fetchall())
    changes = con.execute(
        "SELECT old_key, new_key, reason, identifiers_moved FROM _key_changes ORDER BY 1, 2"
    ).fetchall()
    return keys, changes, counts


def test_first_run_derives_stable_secret_keyed_keys(con):
    clusters = {1: [("email:a@x.jp", FEB), ("anonymous_id:d1", JAN)], 2: [("email:b@x.jp", MAR)]}
    keys, changes, counts = assign(con, clusters)
    assert counts.new_keys == 2 and changes == []
    assert all(k.startswith("ck_") and len(k) == 23 for k in keys.values()) and keys[1] != keys[2]
    again, _, _ = assign(con, clusters)
    assert again == keys  # deterministic under one secret
    other, _, _ = assign(con, clusters, secret=b"another installation")
    assert set(other.values()).isdisjoint(keys.values())


def test_rerun_keeps_keys_even_when_cluster_ids_change(con):
    remember(
        con, {"email:a@x.jp": "ck_a", "anonymous_id:d1": "ck_a", "email:b@x.jp": "ck_b"}, {"ck_a": JAN, "ck_b": FEB}
    )
    clusters = {
        70: [("email:b@x.jp", MAR)],
        12: [("email:a@x.jp", FEB), ("anonymous_id:d1", JAN), ("email:new@x.jp", MAR)],
    }
    keys, changes, counts = assign(con, clusters)
    assert keys == {12: "ck_a", 70: "ck_b"} and changes == [] and counts.new_keys == 0


def test_merge_keeps_the_older_key_and_logs_it(con):
    remember(con, {"email:a@x.jp": "ck_young", "email:b@x.jp": "ck_old"}, {"ck_young": MAR, "ck_old": JAN})
    keys, changes, counts = assign(con, {1: [("email:a@x.jp", JAN), ("email:b@x.jp", FEB)]})
    assert keys == {1: "ck_old"}
    assert changes == [("ck_young", "ck_old", "merge", 1)] and counts.merges == 1


def test_split_leaves_the_key_with_most_identifiers_and_logs_the_new_one(con):
    remember(con, {"email:a@x.jp": "ck_1", "anonymous_id:d1": "ck_1", "phone:+8190": "ck_1"}, {"ck_1": JAN})
    keys, changes, counts = assign(
        con, {1: [("email:a@x.jp", JAN), ("anonymous_id:d1", JAN)], 2: [("phone:+8190", FEB)]}
    )
    assert keys[1] == "ck_1" and keys[2] != "ck_1"
    assert changes == [("ck_1", keys[2], "split", 1)] and counts.splits == 1


def test_a_derived_key_is_never_reissued(con):
    clusters = {1: [("email:a@x.jp", JAN)]}
    first, _, _ = assign(con, clusters)
    remember(con, {}, {first[1]: JAN})  # that key was issued before (and since retired)
    second, _, _ = assign(con, clusters)
    assert second[1] != first[1]
