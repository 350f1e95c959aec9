"""Customer keys: stable across runs, the older key survives a merge, splits get new keys, all logged."""

from datetime import datetime

from orchestration.lib.identity.keys import assign_keys, derive_key

SECRET = b"test-secret"
JAN, FEB, MAR = datetime(2026, 1, 1), datetime(2026, 2, 1), datetime(2026, 3, 1)


def test_first_run_derives_keys_from_the_earliest_identifier():
    clusters = {1: [("email:a@x.jp", FEB), ("anonymous_id:d1", JAN)], 2: [("email:b@x.jp", MAR)]}
    result = assign_keys(clusters, {}, {}, SECRET)
    assert result.key_of_cluster == {1: derive_key(SECRET, "anonymous_id:d1"), 2: derive_key(SECRET, "email:b@x.jp")}
    assert result.changes == [] and len(result.new_keys) == 2
    again = assign_keys(clusters, {}, {}, SECRET)
    assert again.key_of_cluster == result.key_of_cluster  # deterministic under the same secret
    assert assign_keys(clusters, {}, {}, b"other").key_of_cluster != result.key_of_cluster


def test_rerun_keeps_keys_even_when_cluster_ids_change():
    previous = {"email:a@x.jp": "ck_a", "anonymous_id:d1": "ck_a", "email:b@x.jp": "ck_b"}
    created = {"ck_a": JAN, "ck_b": FEB}
    clusters = {
        70: [("email:b@x.jp", MAR)],
        12: [("email:a@x.jp", FEB), ("anonymous_id:d1", JAN), ("email:new@x.jp", MAR)],
    }
    result = assign_keys(clusters, previous, created, SECRET)
    assert result.key_of_cluster == {12: "ck_a", 70: "ck_b"}
    assert result.changes == [] and result.new_keys == []


def test_merge_keeps_the_older_key_and_logs_it():
    previous = {"email:a@x.jp": "ck_young", "email:b@x.jp": "ck_old"}
    created = {"ck_young": MAR, "ck_old": JAN}
    result = assign_keys({1: [("email:a@x.jp", JAN), ("email:b@x.jp", FEB)]}, previous, created, SECRET)
    assert result.key_of_cluster == {1: "ck_old"}
    assert result.retired == {"ck_young": "ck_old"}
    assert [(c.old_key, c.new_key, c.reason) for c in result.changes] == [("ck_young", "ck_old", "merge")]


def test_split_leaves_the_key_with_most_identifiers_and_logs_the_new_one():
    previous = {"email:a@x.jp": "ck_1", "anonymous_id:d1": "ck_1", "phone:+8190": "ck_1"}
    created = {"ck_1": JAN}
    clusters = {1: [("email:a@x.jp", JAN), ("anonymous_id:d1", JAN)], 2: [("phone:+8190", FEB)]}
    result = assign_keys(clusters, previous, created, SECRET)
    assert result.key_of_cluster[1] == "ck_1"
    new_key = result.key_of_cluster[2]
    assert new_key != "ck_1" and new_key.startswith("ck_")
    assert [(c.old_key, c.new_key, c.reason, c.identifiers_moved) for c in result.changes] == [
        ("ck_1", new_key, "split", 1)
    ]


def test_a_derived_key_is_never_reissued():
    anchor = "email:a@x.jp"
    taken = derive_key(SECRET, anchor)
    result = assign_keys({1: [(anchor, JAN)]}, {}, {taken: JAN}, SECRET)
    assert result.key_of_cluster[1] not in (taken,)
