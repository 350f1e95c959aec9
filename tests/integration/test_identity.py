"""Identity resolution end to end: an adversarial zone in the vendors' formats, then new data that merges."""

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs as load_defs
from orchestration.lib.settings import Settings
from tests.landing_builders import segment, write

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def defs():
    return load_defs()


def run(defs) -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("materialize_everything").execute_in_process(instance=instance)
        assert result.success


def customers(con):
    """identifier -> customer_key"""
    return {
        f"{t}:{v}": k
        for t, v, k in con.execute(
            "SELECT identifier_type, identifier_value, customer_key FROM marts.customer_identities"
        ).fetchall()
    }


@pytest.fixture
def adversarial_home(kizuna_home):
    lines = []
    # a chain: one account, five e-mail addresses over the years, a new device each time
    for i in range(5):
        lines.append(
            segment(
                f"chain-{i}",
                "identify",
                f"2026-0{i + 1}-01T00:00:00Z",
                f"chain-device-{i}",
                "6200000000001",
                traits={"email": f"chain{i}@gmail.com"},
            )
        )
        lines.append(
            segment(f"chain-view-{i}", "page", f"2026-0{i + 1}-02T00:00:00Z", f"chain-device-{i}", name="Home")
        )
    # a household: two accounts, each with its own e-mail, both giving the family phone
    for who, email in (("6200000000002", "mother@yahoo.co.jp"), ("6200000000003", "son@icloud.com")):
        lines.append(
            segment(
                f"house-{who}",
                "identify",
                "2026-03-01T00:00:00Z",
                f"dev-{who}",
                who,
                traits={"email": email, "phone": "090-1111-2222"},
            )
        )
    # QA testers sign two strangers up with the same junk address, and a placeholder phone
    for who in ("6200000000004", "6200000000005"):
        lines.append(
            segment(
                f"junk-{who}",
                "identify",
                "2026-04-01T00:00:00Z",
                f"dev-{who}",
                who,
                traits={"email": "test@example.com", "phone": "090-0000-0000"},
            )
        )
    write(kizuna_home, "events/segment-adversarial.jsonl", lines)
    write(
        kizuna_home,
        "pos_transactions/pos-adversarial.csv",
        [
            "receipt_id,store_id,store_name,register_id,transacted_at,loyalty_card_id,phone,line_number,sku,"
            "product_name,category,quantity,unit_price,line_amount,payment_method",
            "R1,ST-001,Shibuya,R1,2026-05-01T12:00:00+09:00,1111222233334444,０９０－１１１１－２２２２,1,KZ-TOP-001,"
            "Tee,tops,1,2990,2990,cash",
        ],
    )
    return kizuna_home


def test_adversarial_zone_is_resolved_as_the_rules_promise(adversarial_home, defs):
    run(defs)
    with duckdb.connect(str(Settings.from_env().warehouse), read_only=True) as con:
        key = customers(con)
        decisions = con.execute(
            "SELECT decision, identifier_value, reason FROM marts.identity_link_decisions ORDER BY 1, 2"
        ).fetchall()

    chain = {key[f"email:chain{i}@gmail.com"] for i in range(5)} | {
        key[f"anonymous_id:chain-device-{i}"] for i in range(5)
    }
    assert chain == {key["shopify_customer_id:6200000000001"]}  # one person across all changes

    mother, son = key["shopify_customer_id:6200000000002"], key["shopify_customer_id:6200000000003"]
    assert mother != son  # a shared phone does not make a household one person
    assert key["email:mother@yahoo.co.jp"] == mother and key["email:son@icloud.com"] == son
    assert key["phone:+819011112222"] in (mother, son)
    assert key["loyalty_card_id:1111222233334444"] == key["phone:+819011112222"]

    assert key["shopify_customer_id:6200000000004"] != key["shopify_customer_id:6200000000005"]
    assert "email:test@example.com" not in key
    assert ("blocked_value", "test@example.com", "test address used by QA and store staff") in decisions
    refused = [d for d in decisions if d[0] == "refused_link"]
    assert refused and all("shopify_customer_id (limit 1)" in reason for _, _, reason in refused)


POS_HEADER = (
    "receipt_id,store_id,store_name,register_id,transacted_at,loyalty_card_id,phone,line_number,sku,"
    "product_name,category,quantity,unit_price,line_amount,payment_method"
)


def test_keys_are_stable_and_the_older_key_survives_a_merge(kizuna_home, defs):
    warehouse = str(Settings.from_env().warehouse)
    # run 1: an online customer
    write(
        kizuna_home,
        "events/segment-1.jsonl",
        [
            segment(
                "m1",
                "identify",
                "2026-01-01T00:00:00Z",
                "dev-a",
                "6200000000010",
                traits={"email": "hanako.yamada@gmail.com"},
            )
        ],
    )
    run(defs)
    with duckdb.connect(warehouse, read_only=True) as con:
        online = customers(con)["shopify_customer_id:6200000000010"]

    # run 2: the same data again, plus a store customer nobody has linked yet
    write(
        kizuna_home,
        "pos_transactions/pos-2.csv",
        [
            POS_HEADER,
            "R9,ST-001,Shibuya,R1,2026-02-01T12:00:00+09:00,5555666677778888,080-3333-4444,1,KZ-TOP-001,"
            "Tee,tops,1,2990,2990,cash",
        ],
    )
    run(defs)
    with duckdb.connect(warehouse, read_only=True) as con:
        second = customers(con)
    assert second["shopify_customer_id:6200000000010"] == online  # unchanged by a re-run
    store = second["loyalty_card_id:5555666677778888"]
    assert store != online

    # run 3: she adds her phone to her online account: the two profiles are one person
    write(
        kizuna_home,
        "events/segment-3.jsonl",
        [
            segment(
                "m3",
                "identify",
                "2026-03-01T00:00:00Z",
                "dev-a",
                "6200000000010",
                traits={"email": "hanako.yamada@gmail.com", "phone": "080-3333-4444"},
            )
        ],
    )
    run(defs)
    with duckdb.connect(warehouse, read_only=True) as con:
        third = customers(con)
        changes = con.execute("SELECT old_key, new_key, reason FROM marts.customer_key_changes").fetchall()
        retired = con.execute(
            "SELECT merged_into FROM identity.customer_keys WHERE customer_key = ?", [store]
        ).fetchall()
    assert set(third.values()) == {online}  # the older key survives
    assert changes == [(store, online, "merge")]
    assert retired == [(online,)]
