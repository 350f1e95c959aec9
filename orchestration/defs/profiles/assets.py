"""Predicted customer lifetime value (BG/NBD + Gamma-Gamma), fitted as of KIZUNA_AS_OF."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.warehouse import scalar

ORDERS = dg.AssetKey(["intermediate", "int_customer_orders"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["clv", "model_parameters"],
            deps=[ORDERS],
            group_name="profiles",
            owners=[DATA_PLATFORM],
            kinds={"python", "duckdb"},
            description="BG/NBD (r, alpha, a, b) and Gamma-Gamma (p, q, gamma) fitted by maximum likelihood, "
            "one set per as-of date.",
        ),
        dg.AssetSpec(
            ["clv", "customer_predictions"],
            deps=[ORDERS],
            group_name="profiles",
            owners=[DATA_PLATFORM],
            kinds={"python", "duckdb"},
            description="Per customer: P(alive), expected purchases in 90 days, expected value per order "
            "and predicted 12-month value.",
        ),
    ],
    pool="duckdb",
)
def clv_models(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    from orchestration.lib.clv.predict import fit_and_predict  # imports scipy: 0.3 s of every process's start

    settings = warehouse.settings
    with warehouse.connect() as con:
        report = fit_and_predict(con, settings.as_of, datetime.now(UTC))
        predictions = scalar(con, "SELECT count(*) FROM clv.customer_predictions")
    if not report.fitted:
        context.log.warning(f"CLV not fitted as of {settings.as_of}: {report.reason}")
    metadata = {
        "as_of": settings.as_of.isoformat(),
        "customers": report.customers,
        "customers_with_repeat_purchases": report.repeat_customers,
        "status": report.reason,
        **{f"param_{name}": round(value, 4) for name, value in report.parameters.items()},
    }
    yield dg.MaterializeResult(asset_key=["clv", "model_parameters"], metadata=metadata)
    yield dg.MaterializeResult(
        asset_key=["clv", "customer_predictions"],
        metadata={**metadata, "dagster/row_count": dg.MetadataValue.int(predictions)},
    )
