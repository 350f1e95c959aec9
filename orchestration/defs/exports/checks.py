"""Checks on the exports: every exported row is re-verified against consent; held segments are reported."""

import dagster as dg

from orchestration.defs.exports.assets import DESTINATIONS, export_key
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.exports.destinations import Destination
from orchestration.lib.exports.run import held_segments, verify_destination

EVERY_ROW_HAS_CONSENT = "every_row_has_consent"
NOTHING_HELD_FOR_REVIEW = "nothing_held_for_review"


def build_consent_check(destination: Destination) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=export_key(destination),
        name=EVERY_ROW_HAS_CONSENT,
        blocking=True,
        pool="duckdb",
        description=(
            "Re-reads every published file of this destination and fails unless each row is exactly the row of "
            f"a person who holds a current grant for {destination.purpose}/{destination.channel} and for the "
            "segment's purpose; also checks checksums and row counts against the manifests."
        ),
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            problems = verify_destination(con, warehouse.settings.exports, destination)
        return dg.AssetCheckResult(
            passed=not problems,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "problems": len(problems),
                "details": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems) or "none"),
            },
        )

    return _check


def build_held_check(destination: Destination) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=export_key(destination),
        name=NOTHING_HELD_FOR_REVIEW,
        pool="duckdb",
        description=(
            "Fails when the last export held a segment back because its membership moved by more than "
            f"{destination.max_churn_share:.0%}; the message says how to approve it."
        ),
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            held = held_segments(con, destination.name)
        return dg.AssetCheckResult(
            passed=not held,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"held": len(held), "messages": dg.MetadataValue.md("\n".join(f"- {m}" for m in held) or "none")},
        )

    return _check


export_checks = [build(d) for d in DESTINATIONS.values() for build in (build_consent_check, build_held_check)]
