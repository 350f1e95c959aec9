"""Great Expectations suites from quality/ as asset checks on the assets they guard."""

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from quality.suites import SUITES, SuiteSpec

GX_CHECK = "gx_identifier_formats"


def build_gx_check(spec: SuiteSpec) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(list(spec.asset)),
        name=GX_CHECK,
        pool="duckdb",
        description=f"Great Expectations suite {spec.name} (quality/suites.py): identifiers are well formed.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from quality.runner import validate

        with warehouse.connect(read_only=True) as con:
            frame = con.execute(spec.query).df()
        outcome = validate(frame, spec, warehouse.settings.home / "quality")
        return dg.AssetCheckResult(
            passed=outcome.success,
            metadata={
                "suite": spec.name,
                "values_validated": len(frame),
                "expectations_evaluated": outcome.evaluated,
                "expectations_failed": len(outcome.failed),
                "failures": dg.MetadataValue.md(
                    "\n".join(
                        f"- {f['expectation']} on `{f['column']}`: {f['unexpected']} unexpected values"
                        for f in outcome.failed
                    )
                    or "none"
                ),
                **({"data_docs": dg.MetadataValue.path(str(outcome.docs_index))} if outcome.docs_index else {}),
            },
        )

    return _check


gx_checks = [build_gx_check(spec) for spec in SUITES]
