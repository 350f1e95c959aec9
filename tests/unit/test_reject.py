"""Rejecting a loaded file: its rows move to the quarantine, staged copies go, and the counts still add up."""

import json
from datetime import UTC, datetime

import duckdb
import pytest

from orchestration.lib.ingest.loader import ingest
from orchestration.lib.ingest.reconcile import reconcile
from orchestration.lib.ingest.reject import RejectError, reject_file
from orchestration.lib.ingest.sources import CONTRACTS
from tests.landing_builders import shopify_order_row, shopify_orders_csv, write

LOADED = datetime(2026, 11, 1, 3, tzinfo=UTC)
JUNK = "shopify_orders/orders-junk.csv"


@pytest.fixture
def con(tmp_path):
    good = [shopify_order_row("#1001", 1001, "taro@example.jp", "2026-10-30 12:00:00 +0900", 5000)]
    junk = [shopify_order_row(f"#J{n}", 2000 + n, f"n/a {n}", "2026-10-30 12:00:00 +0900", 100) for n in range(3)]
    write(tmp_path, "shopify_orders/orders-good.csv", shopify_orders_csv(good))
    write(tmp_path, JUNK, shopify_orders_csv(junk))
    con = duckdb.connect()
    ingest(con, tmp_path / "landing", CONTRACTS["shopify_orders"], LOADED)
    # a staged table keeping its rows' landing record, as the incremental staging models do
    con.execute("CREATE SCHEMA staging")
    con.execute(
        "CREATE TABLE staging.stg_example AS SELECT name, _file AS source_file, _line AS source_line "
        "FROM raw.shopify_orders"
    )
    return con


def test_a_rejected_file_waits_in_the_quarantine_and_the_counts_add_up(con):
    done = reject_file(con, JUNK, "the vendor's export blanked the e-mail column", LOADED)
    assert (done.source, done.rows_quarantined, done.staged_rows_removed) == (
        "shopify_orders",
        3,
        {"staging.stg_example": 3},
    )
    assert con.execute("SELECT DISTINCT _file FROM raw.shopify_orders").fetchall() == [
        ("shopify_orders/orders-good.csv",)
    ]
    rows = con.execute("SELECT line, reason, original_text FROM raw.quarantine WHERE file = ? ORDER BY line", [JUNK])
    quarantined = rows.fetchall()
    assert [line for line, _, _ in quarantined] == [2, 3, 4]
    assert {reason for _, reason, _ in quarantined} == {
        "rejected by operator: the vendor's export blanked the e-mail column"
    }
    assert json.loads(quarantined[0][2])["email"] == "n/a 0"  # the loaded values are kept
    assert con.execute("SELECT status FROM raw.loaded_files WHERE path = ?", [JUNK]).fetchone() == ("rejected",)
    assert reconcile(con, CONTRACTS["shopify_orders"])[1] == []
    assert con.execute("SELECT count(*) FROM staging.stg_example").fetchone() == (1,)


def test_only_a_loaded_file_can_be_rejected_and_only_with_a_reason(con):
    with pytest.raises(RejectError, match="say why"):
        reject_file(con, JUNK, "  ", LOADED)
    with pytest.raises(RejectError, match="shopify_orders/nope.csv: not in the ledger"):
        reject_file(con, "shopify_orders/nope.csv", "typo", LOADED)
    reject_file(con, JUNK, "junk", LOADED)
    with pytest.raises(RejectError, match=r"not a loaded file \(its ledger status: rejected\)"):
        reject_file(con, JUNK, "junk", LOADED)
