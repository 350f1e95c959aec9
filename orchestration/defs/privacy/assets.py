"""Privacy operations: data-subject requests answered by the pipeline itself."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.exports.assets import DESTINATIONS, export_key
from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.policies import FILE_IO_RETRIES
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.transform.project import kizuna_dbt
from orchestration.lib.exports.manifest import adapter_type, derived_columns
from orchestration.lib.privacy.access import SECTIONS, write_bundles
from orchestration.lib.privacy.activation import activation_report, write_report
from orchestration.lib.segments.rules import dialect_for
from orchestration.lib.segments.store import rule_columns

EXPORT_KEYS = [export_key(destination) for destination in DESTINATIONS.values()]
RULE_DIALECT = dialect_for(adapter_type(kizuna_dbt.manifest_path))


@dg.asset(
    key=["privacy", "access_bundles"],
    deps=[
        ["intermediate", "int_privacy_request_subjects"],
        ["marts", "customer_profiles"],
        ["marts", "customer_attributes"],
        ["marts", "customer_consents"],
        ["marts", "segment_memberships"],
        ["intermediate", "int_customer_orders"],
        ["privacy", "erasure"],  # an erased person gets no bundle
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


class ActivationConfig(dg.Config):
    unused_days: int = 180
    """Declared attributes no segment or destination used for this many days are purge candidates."""


@dg.asset(
    key=["privacy", "attribute_activation"],
    deps=[["segments", "segment_definitions"], ["intermediate", "int_segment_profiles"], *EXPORT_KEYS],
    group_name="privacy",
    kinds={"python", "duckdb"},
    owners=[DATA_PLATFORM],
    pool="duckdb",
    description=(
        "For every profile attribute: the segments whose rules use it, the destinations that receive it or "
        "its segments, and when it was last used (the last export that carried it). Declared attributes "
        "unused for `unused_days` (180) are flagged as purge candidates. Table privacy.attribute_activation."
    ),
)
def attribute_activation(
    context: dg.AssetExecutionContext, config: ActivationConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    now = datetime.now(UTC)
    with warehouse.connect() as con:
        columns = list(rule_columns(con))
        report = activation_report(
            con, columns, DESTINATIONS, now, config.unused_days, derived_columns(kizuna_dbt.manifest_path), RULE_DIALECT
        )
        write_report(con, report, now)
    used = [a for a in report if a.segments or a.destinations]
    candidates = [a for a in report if a.is_purge_candidate]
    context.log.info(f"{len(used)} of {len(report)} attributes used; {len(candidates)} purge candidate(s)")
    table = "\n".join(
        f"| {a.attribute} | {', '.join(a.segments) or '-'} | {', '.join(a.destinations) or '-'} | "
        f"{a.last_used_at.date() if a.last_used_at else 'never'} |"
        for a in used
    )
    return dg.MaterializeResult(
        metadata={
            "attributes": len(report),
            "attributes_used": len(used),
            "purge_candidates": len(candidates),
            "purge_candidate_list": dg.MetadataValue.md("\n".join(f"- {a.attribute}" for a in candidates) or "none"),
            "used_by": dg.MetadataValue.md(
                "| attribute | segments | destinations | last used |\n|---|---|---|---|\n" + table
            ),
        }
    )
