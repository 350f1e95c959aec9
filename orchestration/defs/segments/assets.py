"""Segment definitions: the YAML files under dbt_project/segments/, checked, for dbt to evaluate."""

from collections import Counter
from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.transform.project import kizuna_dbt
from orchestration.lib.exports.manifest import adapter_type, load_destinations
from orchestration.lib.segments.definitions import SegmentDefinitionError, load_segments
from orchestration.lib.segments.rules import RuleError, dialect_for
from orchestration.lib.segments.store import consent_purposes, rule_columns, write_definitions


@dg.asset(
    key=["segments", "segment_definitions"],
    deps=[["intermediate", "int_segment_profiles"], ["config", "consent_purposes"]],
    group_name="segments",
    kinds={"python", "duckdb", "yaml"},
    owners=[DATA_PLATFORM],
    pool="duckdb",
    description=(
        "Every segment defined in dbt_project/segments/*.yml (name, description, owner, maturity level, rule, "
        "consent purpose, destinations), checked: a rule must be a plain boolean expression over the profile "
        "columns, purposes and destinations must exist. Any problem fails the asset with the file, segment and "
        "reason; nothing is written then, so the segments of the last good definitions stay in force."
    ),
)
def segment_definitions(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    settings = warehouse.settings
    destinations = load_destinations(kizuna_dbt.manifest_path)
    with warehouse.connect() as con:
        columns = rule_columns(con)
        try:
            dialect = dialect_for(adapter_type(kizuna_dbt.manifest_path))
            segments = load_segments(settings.segments_dir, columns, consent_purposes(con), set(destinations), dialect)
        except (SegmentDefinitionError, RuleError) as error:
            raise dg.Failure(
                description=str(error),
                metadata={"segments_dir": str(settings.segments_dir), "usable_columns": ", ".join(columns)},
                allow_retries=False,
            ) from None
        write_definitions(con, segments, datetime.now(UTC))
    table = "\n".join(
        f"| {s.name} | {s.maturity} | {s.purpose} | {', '.join(s.destinations)} | `{s.rule}` | {s.version} |"
        for s in segments
    )
    maturity = Counter(s.maturity for s in segments)
    context.log.info(f"{len(segments)} segment definition(s) from {settings.segments_dir}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(segments),
            **{f"maturity/{level}": count for level, count in sorted(maturity.items())},
            "definitions": dg.MetadataValue.md(
                "| segment | maturity | purpose | destinations | rule | version |\n|---|---|---|---|---|---|\n" + table
            ),
        }
    )
