"""Great Expectations suites from quality/ as asset checks on the assets they guard."""

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from quality.suites import SUITES, SuiteSpec


def build_gx_check(spec: SuiteSpec) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(list(spec.asset)),
        name=spec.check,
        blocking=spec.blocking,
        additional_deps=[dg.AssetKey(list(key)) for key in spec.also_reads],
        pool="duckdb",
        description=f"Great Expectations suite {spec.name} (quality/suites.py): {spec.description}.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from quality.runner import guard_values, last_passing, measure, validate

        quality_home = warehouse.settings.home / "quality"
        with warehouse.connect(read_only=True) as con:
            frame, trend, mark = measure(con, spec, quality_home)
        previous = last_passing(quality_home)
        outcome = validate(frame, spec, quality_home)
        current = guard_values(frame, spec)
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR if spec.blocking else dg.AssetCheckSeverity.WARN,
            metadata={
                "suite": spec.name,
                "rows_validated": len(frame),
                **({"judged_since": mark or "the first load"} if spec.since_last_pass else {}),
                **(
                    {"out_of_bounds": dg.MetadataValue.md("\n".join(f"- `{r}`" for r in out_of_bounds[:20]))}
                    if (out_of_bounds := spec.rows_out_of_bounds(frame))
                    else {}
                ),
                "expectations_evaluated": outcome.evaluated,
                "expectations_failed": len(outcome.failed),
                "failures": dg.MetadataValue.md(
                    "\n".join(
                        f"- {f['expectation']} on `{f['column']}`: {f['unexpected']} unexpected values"
                        for f in outcome.failed
                    )
                    or "none"
                ),
                **{f"{metric}": round(value, 4) for metric, value in current.items()},
                **{f"{metric}_last_passing": round(previous[metric], 4) for metric in current if metric in previous},
                **({"data_docs": dg.MetadataValue.path(str(outcome.docs_page))} if outcome.docs_page else {}),
                **({"data_docs_index": dg.MetadataValue.path(str(outcome.docs_index))} if outcome.docs_index else {}),
                **{name: dg.MetadataValue.int(int(value)) for name, value in trend.items()},
            },
        )

    return _check


gx_checks = [build_gx_check(spec) for spec in SUITES]
