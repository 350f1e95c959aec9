"""Identity resolution: the graph dbt builds, clustered under the merge rules, with stable customer keys."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.identity.resolve import resolve
from orchestration.lib.secrets import load_secret
from orchestration.lib.warehouse import scalar

UPSTREAM = [
    dg.AssetKey(["intermediate", "int_identity_nodes"]),
    dg.AssetKey(["intermediate", "int_identity_edges"]),
    dg.AssetKey(["config", "identity_identifier_types"]),
]
TABLES = {
    "customer_identifiers": "Every identifier allowed to link records, with the customer_key of its person.",
    "customer_keys": "Every customer_key ever issued: when, and which key it was merged into if retired.",
    "customer_key_changes": "Merges (the older key survives) and splits, so downstream tools can follow a person.",
    "dropped_edges": "Links between identifiers refused by the merge rules, with the reason.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["identity", table],
            deps=UPSTREAM,
            group_name="identity",
            description=description,
            owners=[DATA_PLATFORM],
            kinds={"python", "duckdb"},
        )
        for table, description in TABLES.items()
    ],
    pool="duckdb",
)
def identity_resolution(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Connected components in SQL passes, merge rules on the components that break them, stable keys."""
    settings = warehouse.settings
    with warehouse.connect() as con:
        report = resolve(con, load_secret(settings.home / "secrets" / "customer_key_secret"), datetime.now(UTC))
        counts = {t: scalar(con, f"SELECT count(*) FROM identity.{t}") for t in TABLES}
    context.log.info(
        f"{report.customers} customers from {report.nodes} identifiers and {report.edges} links; "
        f"{report.dropped_edges} links refused in {report.components_breaking_rules} components; "
        f"{report.new_keys} new keys, {report.merges} merges, {report.splits} splits"
    )
    summary = {
        "customers": report.customers,
        "identifiers": report.nodes,
        "links": report.edges,
        "component_passes": report.component_passes,
        "components_breaking_rules": report.components_breaking_rules,
        "links_refused": report.dropped_edges,
        "new_keys": report.new_keys,
        "merges": report.merges,
        "splits": report.splits,
        "seconds_components": round(report.seconds_components, 3),
        "seconds_total": round(report.seconds_total, 3),
    }
    for table in TABLES:
        yield dg.MaterializeResult(
            asset_key=["identity", table],
            metadata={"dagster/row_count": dg.MetadataValue.int(counts[table]), **summary},
        )
