"""The job an operator launches to take a loaded landing file back out (``kizuna reject`` from the UI)."""

from datetime import UTC, datetime

import dagster as dg
from pydantic import Field

from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.ingest.reject import RejectError, reject_file


class RejectConfig(dg.Config):
    path: str = Field(description="the landing file, relative to the landing root, as the ledger names it")
    reason: str = Field(description="why: kept with every quarantined row (no personal data)")


@dg.op(pool="duckdb", tags={"owner": DATA_PLATFORM})
def reject_landing_file(context: dg.OpExecutionContext, config: RejectConfig, warehouse: WarehouseResource) -> None:
    """Move a loaded file's rows from raw to raw.quarantine with the reason, remove its staged copies and mark it
    rejected in the ledger (orchestration/lib/ingest/reject.py)."""
    try:
        with warehouse.connect() as con:
            done = reject_file(con, config.path, config.reason, datetime.now(UTC))
    except RejectError as exc:
        raise dg.Failure(description=str(exc)) from exc
    context.log_event(
        dg.AssetObservation(
            asset_key=dg.AssetKey(["raw", done.source]),
            metadata={
                "rejected_file": done.path,
                "rows_quarantined": done.rows_quarantined,
                "staged_rows_removed": sum(done.staged_rows_removed.values()),
            },
        )
    )
    if done.staged_rows_removed:
        context.log.warning(
            "staged rows were removed (%s): launch rebuild_staging before the next daily run, so that a record "
            "sent twice and staged from this file only is staged from its other copy",
            ", ".join(f"{table}: {rows}" for table, rows in done.staged_rows_removed.items()),
        )


@dg.job(
    description=(
        "Take a loaded landing file back out: its rows move to raw.quarantine with the reason, staged copies go, "
        "the ledger marks it rejected. For a file a raw gate stopped; the gate judges again at the next run that "
        "loads the source."
    ),
    tags={"owner": DATA_PLATFORM},
)
def reject_file_job():
    reject_landing_file()
