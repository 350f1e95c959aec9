"""One ingestion asset per landing source (one step for all): new files into raw.<source>, bad records into
quarantine."""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.policies import FILE_IO_RETRIES
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.ingest.contracts import Contract
from orchestration.lib.ingest.loader import ingest
from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.privacy.suppression import load_suppression
from orchestration.lib.warehouse import scalar

LANDING_FINGERPRINT = "landing_fingerprint"  # metadata: the landing folder's state this run loaded


def ingest_spec(contract: Contract) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=["raw", contract.source],
        group_name="ingest",
        kinds={"python", "duckdb"},
        owners=[DATA_PLATFORM],
        skippable=True,  # a source that fails yields nothing: no materialization is recorded for it
        description=(
            f"{contract.description} Loads new files from landing/{contract.source}/ ({contract.vendor} format) "
            "into raw." + contract.source + "; records that break the contract go to raw.quarantine with a reason; "
            "records about erased people (the suppression list) are taken out of the file and never stored."
        ),
    )


@dg.multi_asset(
    name="ingest_landing",
    specs=[ingest_spec(contract) for contract in CONTRACTS.values()],
    can_subset=True,  # a landing sensor's run loads its own source only
    pool="duckdb",
    retry_policy=FILE_IO_RETRIES,
)
def ingest_landing(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> Iterator[dg.MaterializeResult]:
    """Every selected source in one step: a step of its own each cost more than loading nothing new (most
    sources, most days). A source that fails does not stop the others; the step fails after them, naming it,
    and its retry loads only what is still new."""
    selected = [c for c in CONTRACTS.values() if dg.AssetKey(["raw", c.source]) in context.selected_asset_keys]
    failed: list[str] = []
    with warehouse.connect() as con:
        suppression = load_suppression(con, warehouse.settings.home)
        for contract in selected:
            try:
                yield _ingest_source(context, con, warehouse, contract, suppression)
            except Exception as error:  # reported below with the others, after every source had its turn
                context.log.error(f"{contract.source}: ingestion failed: {error!r}")
                failed.append(f"{contract.source}: {error}")
    if failed:
        raise dg.Failure(description="Ingestion failed for: " + "; ".join(failed))


def _ingest_source(context, con, warehouse: WarehouseResource, contract: Contract, suppression) -> dg.MaterializeResult:
    report = ingest(con, warehouse.settings.landing, contract, loaded_at=datetime.now(UTC), suppression=suppression)
    table_rows = scalar(con, f"SELECT count(*) FROM {contract.table}")
    for outcome in report.outcomes:
        if outcome.status == "quarantined":
            context.log.warning(f"Whole file quarantined: {outcome.path}: {outcome.reason}")
    if report.still_changing:
        context.log.warning(f"Left for the next run, still being written: {', '.join(report.still_changing)}")
    context.log.info(
        f"{contract.source}: {len(report.outcomes)} new file(s), {report.total('rows_loaded')} rows loaded, "
        f"{report.total('rows_quarantined')} quarantined, {report.already_loaded} file(s) already loaded, "
        f"{report.rows_suppressed} record(s) about erased people dropped"
    )
    statuses = report.files_by_status
    return dg.MaterializeResult(
        asset_key=["raw", contract.source],
        # what staging is built from changes only with the ledger: a run that records no file leaves the
        # version, and the staging models built from it, as they were (orchestration/defs/ops/daily.py)
        data_version=dg.DataVersion(
            report.latest_load.astimezone(UTC).isoformat() if report.latest_load else "nothing loaded"
        ),
        metadata={
            # the folder as this run listed it before loading (a file landing meanwhile makes the next daily
            # run see it changed), or "" while a file is still being written: look again next time
            LANDING_FINGERPRINT: "" if report.still_changing else report.landing_fingerprint,
            "dagster/row_count": dg.MetadataValue.int(table_rows),
            "new_files": dg.MetadataValue.int(len(report.outcomes)),
            "files_already_loaded": dg.MetadataValue.int(report.already_loaded),
            "files_quarantined_whole": dg.MetadataValue.int(statuses.get("quarantined", 0)),
            "files_duplicate": dg.MetadataValue.int(statuses.get("duplicate", 0)),
            "files_still_being_written": dg.MetadataValue.int(len(report.still_changing)),
            "rows_read": dg.MetadataValue.int(report.total("rows_read")),
            "rows_loaded": dg.MetadataValue.int(report.total("rows_loaded")),
            "rows_quarantined": dg.MetadataValue.int(report.total("rows_quarantined")),
            "rows_suppressed": dg.MetadataValue.int(report.rows_suppressed),
            "quarantine_reasons": dg.MetadataValue.md(_reasons_markdown(report.quarantine_reasons)),
            # one number per reason, which the asset page plots across runs
            **{f"quarantined/{reason}": dg.MetadataValue.int(n) for reason, n in report.quarantine_reasons.items()},
            "unreadable_files": dg.MetadataValue.md(
                "\n".join(f"- `{o.path}`: {o.reason}" for o in report.outcomes if o.status == "quarantined") or "none"
            ),
        },
    )


def _reasons_markdown(reasons) -> str:
    if not reasons:
        return "none"
    lines = ["| reason | records |", "|---|---:|"]
    lines += [f"| {reason} | {count} |" for reason, count in reasons.most_common()]
    return "\n".join(lines)


ingestion_ledger = dg.AssetSpec(
    key=["raw", "loaded_files"],
    group_name="ingest",
    kinds={"duckdb"},
    owners=[DATA_PLATFORM],
    description=(
        "The ingestion ledger: one row per landing file (path, SHA-256, size, modification time, status, row "
        "counts), written by every raw/* asset in the same transaction as the file's rows."
    ),
)
