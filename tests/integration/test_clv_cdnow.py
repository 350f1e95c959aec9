"""CDNOW's sample fed in as Shopify orders: the platform reproduces the published BG/NBD parameters."""

import csv
from datetime import date

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs as load_defs
from orchestration.lib.sample.formats import SHOPIFY_ORDERS_HEADER
from orchestration.lib.settings import Settings
from tests.cdnow import CALIBRATION_END, PUBLISHED_BGNBD, transactions

pytestmark = pytest.mark.slow


def write_as_shopify_orders(path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SHOPIFY_ORDERS_HEADER)
        for n, row in enumerate(transactions().itertuples(index=False), start=1):
            order = dict.fromkeys(SHOPIFY_ORDERS_HEADER, "")
            created = f"{row.date:%Y-%m-%d} 12:00:00 +0000"
            order.update(
                {
                    "Name": f"#CD{n:05d}",
                    "Id": str(900000 + n),
                    "Email": f"cdnow.{row.customer}@mail.cdnow.jp",
                    "Financial Status": "paid",
                    "Currency": "USD",
                    "Created at": created,
                    "Paid at": created,
                    "Subtotal": f"{row.value:.2f}",
                    "Total": f"{row.value:.2f}",
                    "Lineitem quantity": str(row.cds),
                    "Lineitem name": "CD",
                    "Lineitem price": f"{row.value / max(row.cds, 1):.2f}",
                    "Source": "web",
                }
            )
            writer.writerow([order[column] for column in SHOPIFY_ORDERS_HEADER])
    return n


def test_cdnow_as_shopify_orders_reproduces_published_bgnbd(kizuna_home, monkeypatch):
    monkeypatch.setenv("KIZUNA_AS_OF", CALIBRATION_END)
    assert write_as_shopify_orders(kizuna_home / "landing" / "shopify_orders" / "cdnow_orders.csv") == 6919
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
