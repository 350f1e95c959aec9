"""Great Expectations suites from quality/ as asset checks on the assets they guard.

The suites of the raw layer run in one step, and those of staging in another: a step, a Great Expectations
context and a Data Docs index per layer instead of per suite, which was most of what a validation cost on a
daily run. Each suite is still its own check of its own asset in the UI, and a run may select any of them."""

from collections.abc import Iterator

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from quality.suites import SUITES, SuiteSpec


def check_key(spec: SuiteSpec) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(dg.AssetKey(list(spec.asset)), spec.check)


def build_gx_checks(step: str, specs: list[SuiteSpec]) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        name=f"gx_{step}",
        specs=[
            dg.AssetCheckSpec(
                spec.check,
                asset=dg.AssetKey(list(spec.asset)),
                description=f"Great Expectations suite {spec.name} (quality/suites.py): {spec.description}.",
                additional_deps=[dg.AssetKey(list(key)) for key in spec.also_reads],
                blocking=spec.blocking,
            )
            for spec in specs
        ],
        can_subset=True,
        pool="duckdb",
    )
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator[dg.AssetCheckResult]:
        from quality.runner import last_passing, measure, validate_all

        selected = [spec for spec in specs if check_key(spec) in context.selected_asset_check_keys]
        quality_home = warehouse.settings.home / "quality"
        with warehouse.connect(read_only=True) as con:
            measured = [measure(con, spec, quality_home) for spec in selected]
        previous = last_passing(quality_home)
        outcomes = validate_all(
            [(frame, spec) for spec, (frame, _, _) in zip(selected, measured, strict=True)], quality_home
        )
        for spec, (frame, trend, mark), outcome in zip(selected, measured, outcomes, strict=True):
            yield check_result(spec, frame, trend, mark, outcome, previous)

    return _checks


def check_result(spec: SuiteSpec, frame, trend, mark, outcome, previous) -> dg.AssetCheckResult:
    from quality.runner import guard_values

    current = guard_values(frame, spec)
    out_of_bounds = spec.rows_out_of_bounds(frame)
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(list(spec.asset)),
        check_name=spec.check,
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR if spec.blocking else dg.AssetCheckSeverity.WARN,
        metadata={
            "suite": spec.name,
            "rows_validated": len(frame),
            **({"judged_since": mark or "the first load"} if spec.since_last_pass else {}),
            **(
                {"out_of_bounds": dg.MetadataValue.md("\n".join(f"- `{r}`" for r in out_of_bounds[:20]))}
                if out_of_bounds
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


# layers whose guarded assets do not feed one another: their suites can wait for all of them and run together
# (a blocking check of marts/customer_profiles, say, must not wait for segment_memberships downstream of it)
SHARED_STEP_LAYERS = ("raw", "staging")


def _steps() -> dict[str, list[SuiteSpec]]:
    steps: dict[str, list[SuiteSpec]] = {}
    for spec in SUITES:
        steps.setdefault(spec.asset[0] if spec.asset[0] in SHARED_STEP_LAYERS else spec.name, []).append(spec)
    return steps


gx_checks = [build_gx_checks(step, specs) for step, specs in _steps().items()]
