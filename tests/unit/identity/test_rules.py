"""Merge rules: limits per identifier type, priority order, cluster guard; every refusal has a reason."""

from datetime import datetime

from orchestration.lib.identity.rules import Edge, TypeRule, apply_rules

RULES = {
    "shopify_customer_id": TypeRule("shopify_customer_id", 1, 1),
    "email": TypeRule("email", 3, 5),
    "phone": TypeRule("phone", 5, 2),
    "anonymous_id": TypeRule("anonymous_id", 6, 50),
}
T0 = datetime(2026, 1, 1)


def edge(a, b, priority, records=1, day=1):
    return Edge(a, b, priority, records, datetime(2026, 1, day))


def test_household_sharing_a_phone_stays_two_people():
    # 1 = customer A, 2 = A's e-mail, 3 = customer B, 4 = B's e-mail, 5 = the family's phone
    types = {1: "shopify_customer_id", 2: "email", 3: "shopify_customer_id", 4: "email", 5: "phone"}
    edges = [edge(1, 2, 3), edge(3, 4, 3), edge(1, 5, 5, records=3), edge(3, 5, 5, records=2)]
    result = apply_rules(types, edges, RULES, max_cluster_size=200)
    assert result.root_of[1] == result.root_of[2] == result.root_of[5]  # the phone stays with the stronger link
    assert result.root_of[3] == result.root_of[4] != result.root_of[1]
    ((dropped, reason),) = result.dropped
    assert (dropped.node_a, dropped.node_b) == (3, 5)
    assert reason == "would give one person 2 shopify_customer_id (limit 1)"


def test_strong_edges_win_over_weak_ones_whatever_their_order():
    types = {1: "shopify_customer_id", 2: "anonymous_id", 3: "shopify_customer_id"}
    # a shared device links two accounts; the account logins (priority 6 edges) compete
    edges = [edge(2, 3, 6, records=1, day=1), edge(1, 2, 6, records=9, day=5)]
    result = apply_rules(types, edges, RULES, max_cluster_size=200)
    assert result.root_of[2] == result.root_of[1]  # more records wins among equal priority
    assert result.root_of[3] == 3


def test_a_long_chain_of_changes_stays_one_person():
    types = {1: "shopify_customer_id"} | {n: "email" for n in range(2, 7)} | {n: "anonymous_id" for n in range(7, 40)}
    edges = [edge(1, n, 3) for n in range(2, 7)] + [edge(1, n, 6) for n in range(7, 40)]
    result = apply_rules(types, edges, RULES, max_cluster_size=200)
    assert set(result.root_of.values()) == {1} and result.dropped == []


def test_limit_per_type_and_cluster_guard():
    types = {n: "email" for n in range(1, 8)} | {100: "anonymous_id"}
    edges = [edge(100, n, 6, day=n) for n in range(1, 8)]  # one device used with 7 addresses
    result = apply_rules(types, edges, RULES, max_cluster_size=200)
    assert len({result.root_of[n] for n in range(1, 8)} - {result.root_of[100]}) == 2
    assert [r for _, r in result.dropped] == ["would give one person 6 email (limit 5)"] * 2
    guarded = apply_rules(types, edges, RULES, max_cluster_size=3)
    assert {r for _, r in guarded.dropped} == {"would make a cluster of 4 identifiers (guard 3)"}
