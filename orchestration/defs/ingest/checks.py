"""Checks on every raw table: counts reconcile per file, and no file was unreadable."""

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from orchestration.lib.ingest.contracts import Contract
from orchestration.lib.ingest.reconcile import reconcile
from orchestration.lib.ingest.sources import CONTRACTS

ROWS_RECONCILE = "rows_reconcile_per_file"
FILES_READABLE = "all_files_readable"


def build_reconcile_check(contract: Contract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", contract.source]),
        name=ROWS_RECONCILE,
        blocking=True,
        pool="duckdb",
        description=(
            "Every landing file: rows read = rows loaded + rows quarantined, "
            "and raw.* and raw.quarantine hold exactly those rows."
        ),
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            files, mismatches = reconcile(con, contract)
        return dg.AssetCheckResult(
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

    return _check


def build_readable_check(contract: Contract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", contract.source]),
        name=FILES_READABLE,
        pool="duckdb",
        description=(
            "Warns when a landing file could not be read at all (wrong encoding, corrupt, wrong header) "
            "and was quarantined whole."
        ),
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            rows = con.execute(
                "SELECT path, reason FROM raw.loaded_files WHERE source = ? AND status = 'quarantined' ORDER BY path",
                [contract.source],
            ).fetchall()
        return dg.AssetCheckResult(
            passed=not rows,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "files_quarantined_whole": len(rows),
                "files": dg.MetadataValue.md("\n".join(f"- `{p}`: {r}" for p, r in rows) or "none"),
            },
        )

    return _check


ingest_checks = [build(c) for c in CONTRACTS.values() for build in (build_reconcile_check, build_readable_check)]
