"""Privacy operations: data-subject requests answered by the pipeline itself."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.policies import FILE_IO_RETRIES
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.privacy.access import SECTIONS, write_bundles


@dg.asset(
    key=["privacy", "access_bundles"],
    deps=[
        ["intermediate", "int_privacy_request_subjects"],
        ["marts", "customer_profiles"],
        ["marts", "customer_attributes"],
        ["marts", "customer_consents"],
        ["marts", "segment_memberships"],
        ["intermediate", "int_customer_orders"],
    ],
    group_name="privacy",
    kinds={"python", "json"},
    owners=[DATA_PLATFORM],
    pool="duckdb",
    retry_policy=FILE_IO_RETRIES,
    description=(
        "Answers access and portability requests (OpenDSR): one JSON bundle per request under "
        "$KIZUNA_HOME/privacy/access/ with everything held about the subject: "
        + ", ".join(SECTIONS)
        + ". Written once per request; run metadata holds counts only."
    ),
)
def access_bundles(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    folder = warehouse.settings.home / "privacy" / "access"
    with warehouse.connect(read_only=True) as con:
        written = write_bundles(con, folder, datetime.now(UTC))
    context.log.info(f"{len(written)} access bundle(s) written to {folder}")
    lines = "\n".join(
        f"| {w['request_id']} | {w['people']} | {w['identities']} | {w['events']} | {w['orders']} |" for w in written
    )
    return dg.MaterializeResult(
        metadata={
            "bundles_written": len(written),
            "bundles_total": len(list(folder.glob("*.json"))) if folder.exists() else 0,
            "folder": dg.MetadataValue.path(str(folder)),
            "written": dg.MetadataValue.md(
                "| request | people | identities | events | orders |\n|---|---|---|---|---|\n" + lines
            ),
        }
    )
