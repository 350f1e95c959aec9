"""One export asset per destination (dbt exposure): consented segment audiences as the vendor's files."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.exports.gate import failed_blocking_checks
from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.policies import FILE_IO_RETRIES
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.transform.project import kizuna_dbt
from orchestration.lib.exports.destinations import Destination
from orchestration.lib.exports.history import size_history_markdown
from orchestration.lib.exports.manifest import load_destinations
from orchestration.lib.exports.run import export_destination

UPSTREAM = [
    ["marts", "segment_memberships"],
    ["marts", "customer_consents"],
    ["marts", "customer_profiles"],
    ["segments", "segment_definitions"],
    ["privacy", "erasure"],  # erasures first: nobody erased in this run is published again
]


class ExportConfig(dg.Config):
    approve_churn: list[str] = []
    """Segments whose membership moved past the churn gate and are approved to be sent in this run."""


def export_key(destination: Destination) -> dg.AssetKey:
    return dg.AssetKey(["exports", destination.name])


def build_export_asset(destination: Destination) -> dg.AssetsDefinition:
    @dg.asset(
        key=export_key(destination),
        deps=UPSTREAM,
        group_name="exports",
        kinds={"python", "csv"},
        owners=[DATA_PLATFORM],
        pool="duckdb",
        retry_policy=FILE_IO_RETRIES,
        description=(
            f"{destination.label}: for each segment routed here, the full audience file, a delta (added and "
            f"removed since the last successful export) and a manifest, under exports/{destination.name}/. Only "
            f"people with a current grant for {destination.purpose}/{destination.channel} (and the segment's "
            f"purpose) are exported, with only these fields: {', '.join(destination.fields)}. A segment whose "
            f"membership moved by more than {destination.max_churn_share:.0%} is held for review."
        ),
    )
    def _export(
        context: dg.AssetExecutionContext, config: ExportConfig, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        failed = failed_blocking_checks(context)
        if failed:
            raise dg.Failure(
                description=f"exports/{destination.name} held: blocking check(s) failed upstream: {', '.join(failed)}",
                metadata={"failed_checks": dg.MetadataValue.md("\n".join(f"- {name}" for name in failed))},
                allow_retries=False,
            )
        settings = warehouse.settings
        with warehouse.connect() as con:
            report = export_destination(
                con, settings.exports, destination, datetime.now(UTC), frozenset(config.approve_churn)
            )
            history = size_history_markdown(con, destination.name)
        for outcome in report.held:
            context.log.warning(outcome.message)
        exported = [o for o in report.outcomes if o.status != "held"]
        lines = "\n".join(
            f"| {o.segment} | {o.status} | {o.rows} | {o.added} | {o.removed} | {o.unreachable} | {o.churn_share:.0%} |"
            for o in report.outcomes
        )
        return dg.MaterializeResult(
            metadata={
                "export_id": report.export_id,
                "dagster/row_count": sum(o.rows for o in exported),
                "rows_added": sum(o.added for o in exported),
                "rows_removed": sum(o.removed for o in exported),
                "segments_held": len(report.held),
                # one number per segment: Dagster plots each over the asset's materializations
                **{f"rows/{o.segment}": o.rows for o in report.outcomes},
                "segments": dg.MetadataValue.md(
                    "| segment | status | rows | added | removed | no identifier | churn |\n"
                    "|---|---|---|---|---|---|---|\n" + lines
                ),
                "segment_sizes_over_recent_exports": dg.MetadataValue.md(history),
                "folder": dg.MetadataValue.path(str(settings.exports / destination.name)),
            }
        )

    return _export


DESTINATIONS = load_destinations(kizuna_dbt.manifest_path)
export_assets = [build_export_asset(destination) for destination in DESTINATIONS.values()]
