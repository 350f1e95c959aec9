"""Retention: a daily asset that deletes what has outlived its policy, from tables and landing files."""

from datetime import UTC, datetime, time

import dagster as dg

from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.policies import FILE_IO_RETRIES
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.privacy.retention import CATEGORIES, apply_retention, read_policies, record_outcomes


class RetentionConfig(dg.Config):
    keep_days: dict[str, int] = {}
    """Overrides of config.retention_policies for this run, by category (e.g. {"quarantine": 30})."""


@dg.asset(
    key=["privacy", "retention"],
    deps=[["config", "retention_policies"], *(["raw", source] for source in CONTRACTS)],
    group_name="privacy",
    kinds={"python", "duckdb"},
    owners=[DATA_PLATFORM],
    pool="duckdb",
    retry_policy=FILE_IO_RETRIES,
    description=(
        "Deletes what has outlived its retention policy (config.retention_policies), per category: "
        + ", ".join(CATEGORIES)
        + ". Records leave raw tables and the landing files together, so no replay brings them back; counts "
        "per category go to privacy.retention_log. Runs daily on its own schedule (daily_retention)."
    ),
)
def retention(context: dg.AssetExecutionContext, config: RetentionConfig, warehouse: WarehouseResource):
    settings = warehouse.settings
    now = datetime.now(UTC)
    as_of = datetime.combine(settings.as_of, time.min, tzinfo=UTC)
    with warehouse.connect() as con:
        policies = read_policies(con) | config.keep_days
        unknown = sorted(set(policies) - set(CATEGORIES))
        if unknown:
            raise dg.Failure(f"unknown retention categories: {', '.join(unknown)} (known: {', '.join(CATEGORIES)})")
        outcomes = apply_retention(
            con,
            settings.landing,
            settings.exports,
            settings.home / "privacy" / "receipts",
            settings.truth,
            CONTRACTS,
            policies,
            as_of,
            now,
        )
        record_outcomes(con, outcomes, now)
    context.log.info(", ".join(f"{o.category}: {o.records} removed" for o in outcomes))
    table = "\n".join(
        f"| {o.category} | {policies[o.category]} | {o.cutoff:%Y-%m-%d} | {o.records} | {o.files} |" for o in outcomes
    )
    return dg.MaterializeResult(
        metadata={
            "records_removed": sum(o.records for o in outcomes),
            "files_changed": sum(o.files for o in outcomes),
            **{f"removed/{o.category}": o.records for o in outcomes},
            "by_category": dg.MetadataValue.md(
                "| category | keep days | cutoff | removed | files changed |\n|---|---:|---|---:|---:|\n" + table
            ),
        }
    )
