"""CDNOW's sample fed in as Shopify orders: the platform reproduces the published BG/NBD parameters."""

from datetime import date

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs as load_defs
from orchestration.lib.settings import Settings
from tests.cdnow import CALIBRATION_END, PUBLISHED_BGNBD, transactions
from tests.landing_builders import shopify_order_row, shopify_orders_csv, write

pytestmark = pytest.mark.slow


def cdnow_as_shopify_orders() -> list[list[str]]:
    """One Shopify order per CDNOW transaction, the customer known by an e-mail address."""
    return [
        shopify_order_row(
            f"#CD{n:05d}",
            900000 + n,
            f"cdnow.{row.customer}@mail.cdnow.jp",
            f"{row.date:%Y-%m-%d} 12:00:00 +0000",
            row.value,
            quantity=row.cds,
        )
        for n, row in enumerate(transactions().itertuples(index=False), start=1)
    ]


def test_cdnow_as_shopify_orders_reproduces_published_bgnbd(kizuna_home, monkeypatch):
    monkeypatch.setenv("KIZUNA_AS_OF", CALIBRATION_END)
    orders = cdnow_as_shopify_orders()
    assert len(orders) == 6919
    write(kizuna_home, "shopify_orders/cdnow_orders.csv", shopify_orders_csv(orders))
    with dg.DagsterInstance.ephemeral() as instance:
        result = load_defs().resolve_job_def("materialize_everything").execute_in_process(instance=instance)
        assert result.success
    with duckdb.connect(str(Settings.from_env().warehouse), read_only=True) as con:
        fitted = dict(
            con.execute(
                """
            SELECT parameter, value FROM marts.clv_model_parameters WHERE model = 'bg_nbd' AND as_of = ?
        """,
                [date.fromisoformat(CALIBRATION_END)],
            ).fetchall()
        )
        customers = con.execute(
            "SELECT DISTINCT customers FROM marts.clv_model_parameters WHERE model = 'bg_nbd'"
        ).fetchall()
        profiles = con.execute("SELECT count(*), count(probability_alive) FROM marts.customer_profiles").fetchall()
    assert customers == [(2357,)]
    for name, published in PUBLISHED_BGNBD.items():
        assert fitted[name] == pytest.approx(published, rel=0.01), name
    assert profiles == [(2357, 2357)]  # every CDNOW customer has a profile with predictions
