"""Checks on every raw table: counts reconcile per file, and no file was unreadable."""

from collections.abc import Iterator

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from orchestration.lib.ingest.contracts import Contract
from orchestration.lib.ingest.reconcile import reconcile
from orchestration.lib.ingest.sources import CONTRACTS

ROWS_RECONCILE = "rows_reconcile_per_file"
FILES_READABLE = "all_files_readable"


@dg.multi_asset_check(
    name="raw_files_reconcile",
    specs=[
        spec
        for contract in CONTRACTS.values()
        for spec in (
            dg.AssetCheckSpec(
                ROWS_RECONCILE,
                asset=dg.AssetKey(["raw", contract.source]),
                blocking=True,
                description=(
                    "Every landing file: rows read = rows loaded + rows quarantined, "
                    "and raw.* and raw.quarantine hold exactly those rows."
                ),
            ),
            dg.AssetCheckSpec(
                FILES_READABLE,
                asset=dg.AssetKey(["raw", contract.source]),
                description=(
                    "Warns when a landing file could not be read at all (wrong encoding, corrupt, wrong header) "
                    "and was quarantined whole."
                ),
            ),
        )
    ],
    can_subset=True,  # a sensor's run loads one source and checks it alone
    pool="duckdb",
)
def raw_files_reconcile(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.AssetCheckResult]:
    """The checks of every raw table in one step (a step each cost more than the queries)."""
    selected = context.selected_asset_check_keys
    with warehouse.connect(read_only=True) as con:
        for contract in CONTRACTS.values():
            asset = dg.AssetKey(["raw", contract.source])
            if dg.AssetCheckKey(asset, ROWS_RECONCILE) in selected:
                yield reconcile_result(con, contract)
            if dg.AssetCheckKey(asset, FILES_READABLE) in selected:
                yield readable_result(con, contract)


def reconcile_result(con, contract: Contract) -> dg.AssetCheckResult:
    files, mismatches = reconcile(con, contract)
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["raw", contract.source]),
        check_name=ROWS_RECONCILE,
        passed=not mismatches,
        metadata={
            "files_checked": files,
            "files_not_reconciling": len(mismatches),
            "mismatches": dg.MetadataValue.md(
                "\n".join(
                    f"- `{m.path}`: {m.problem} (read {m.rows_read}, loaded {m.rows_loaded}, quarantined "
                    f"{m.rows_quarantined}; table {m.rows_in_table}, quarantine {m.rows_in_quarantine})"
                    for m in mismatches[:50]
                )
                or "none"
            ),
        },
    )


def readable_result(con, contract: Contract) -> dg.AssetCheckResult:
    rows = con.execute(
        "SELECT path, reason FROM raw.loaded_files WHERE source = ? AND status = 'quarantined' ORDER BY path",
        [contract.source],
    ).fetchall()
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["raw", contract.source]),
        check_name=FILES_READABLE,
        passed=not rows,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "files_quarantined_whole": len(rows),
            "files": dg.MetadataValue.md("\n".join(f"- `{p}`: {r}" for p, r in rows) or "none"),
        },
    )
