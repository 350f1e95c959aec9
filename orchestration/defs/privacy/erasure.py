"""Erasure requests: carried out across every layer, verified by search, proven by a receipt without PII."""

import os
from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.exports.run import keys_sent
from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.privacy.erase_exports import scrub_exports
from orchestration.lib.privacy.erasure import (
    build_receipt,
    compact,
    delete_from_tables,
    notice_name,
    pending_erasures,
    plan_batch,
    scrub_access_bundles,
    scrub_landing,
    scrub_truth,
    start,
    subject_hash,
)
from orchestration.lib.privacy.receipts import overdue, record_completed
from orchestration.lib.privacy.suppression import load_suppression
from orchestration.lib.privacy.verify import Verification, search_terms, verify_files, verify_tables

DEADLINE_DAYS = int(os.environ.get("KIZUNA_ERASURE_DEADLINE_DAYS", "30"))


@dg.asset(
    key=["privacy", "erasure"],
    deps=[["intermediate", "int_privacy_request_subjects"], ["marts", "customer_identities"]],
    group_name="privacy",
    kinds={"python", "duckdb"},
    owners=[DATA_PLATFORM],
    pool="duckdb",
    description=(
        "Carries out erasure requests (OpenDSR `erasure`) for the whole person: suppression list, export files "
        "and erasure notices, every warehouse table, the landing files themselves (raw and the ledger follow), "
        "then a rewrite of the DuckDB file and a search of every file and table under KIZUNA_HOME. One receipt "
        "per request, without PII, in privacy.erasure_receipts and $KIZUNA_HOME/privacy/receipts/."
    ),
)
def erasure(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    settings = warehouse.settings
    now = datetime.now(UTC)
    with warehouse.connect() as con:
        requests = pending_erasures(con)
        if not requests:
            return dg.MaterializeResult(metadata={"requests_carried_out": 0})
        batch = plan_batch(con, requests)
        suppression = load_suppression(con, settings.home)
        start(con, batch, suppression, now)
        exported = scrub_exports(
            settings.exports,
            batch.all_keys,
            batch.all_identifiers,
            suppression,
            keys_sent(con, batch.all_keys),
            notice_name([r.request_id for r in requests]),
        )
        batch.files_rewritten["exports"] += exported.files
        batch.destinations = {name: len(keys) for name, keys in exported.destinations.items()}
        scrub_access_bundles(settings.home / "privacy" / "access", suppression, batch)
        delete_from_tables(con, batch)
        spans = scrub_landing(con, settings.landing, list(CONTRACTS.values()), suppression, batch)
        scrub_truth(settings.truth, suppression, batch, spans)
    context.log.info(f"{len(requests)} erasure request(s): removed; rewriting the warehouse file")
    compact(settings.warehouse)
    terms = search_terms(batch.all_identifiers)
    verification = Verification()
    folder = settings.home / "privacy" / "receipts"
    with warehouse.connect() as con:
        verify_tables(con, terms, verification)
        verify_files(settings.home, terms, verification)
        for request in requests:
            receipt = build_receipt(batch, request, subject_hash(suppression, request), now, verification)
            record_completed(con, folder, receipt)
    if not verification.passed:
        context.log.error(f"Erasure verification found leftovers in: {', '.join(verification.hits)}")
    return dg.MaterializeResult(
        metadata={
            "requests_carried_out": len(requests),
            "people": len(batch.all_keys),
            "identifiers_suppressed": len(batch.all_identifiers),
            "rows_removed": sum(batch.table_rows.values()),
            "landing_records_removed": sum(batch.landing_records.values()),
            "files_rewritten": sum(batch.files_rewritten.values()),
            "destinations_notified": dg.MetadataValue.md(
                "\n".join(f"- {name}: {people} people" for name, people in batch.destinations.items()) or "none"
            ),
            "verification": "passed" if verification.passed else f"FAILED: {len(verification.hits)} place(s)",
            "files_searched": verification.files_searched,
            "tables_searched": verification.tables_searched,
            "receipts": dg.MetadataValue.path(str(folder)),
            "rows_removed_by_table": dg.MetadataValue.md(
                "| table | rows |\n|---|---:|\n"
                + "\n".join(f"| {table} | {rows} |" for table, rows in sorted(batch.table_rows.items()))
            ),
        }
    )


@dg.asset_check(
    asset=erasure,
    name="erasures_done_in_time",
    description=(
        f"Fails when an erasure request is older than its deadline ({DEADLINE_DAYS} days, "
        "KIZUNA_ERASURE_DEADLINE_DAYS) and not completed, was interrupted after its request line was removed, "
        "or its verification found leftovers."
    ),
)
def erasures_done_in_time(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as con:
        late = overdue(con, datetime.now(UTC), DEADLINE_DAYS)
    return dg.AssetCheckResult(
        passed=not late,
        metadata={
            "requests_in_trouble": len(late),
            "requests": dg.MetadataValue.md("\n".join(f"- {rid}: {why}" for rid, why in late) or "none"),
        },
    )
