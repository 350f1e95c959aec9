"""Personas: people clustered on behaviour and declared preferences, usable in segment rules."""

import dagster as dg

from orchestration.defs.owners import DATA_PLATFORM
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.segments.persona_store import write_personas
from orchestration.lib.segments.personas import FEATURES_SQL, fit_personas


class PersonaConfig(dg.Config):
    personas: int = 6
    """How many personas to find."""
    seed: int = 42
    """Same seed, same data: same personas."""


@dg.asset(
    key=["personas", "customer_personas"],
    deps=[["marts", "customer_profiles"]],
    group_name="segments",
    kinds={"python", "scikitlearn", "duckdb"},
    owners=[DATA_PLATFORM],
    pool="duckdb",
    description=(
        "One persona per person (k-means over orders, spend, recency, store share, e-mail engagement, winter "
        "interest and declared/inferred style, budget, top category, device), labelled by what sets each persona "
        "apart. persona_id and persona_label become columns segment rules can use."
    ),
)
def customer_personas(
    context: dg.AssetExecutionContext, config: PersonaConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        profiles = con.execute(FEATURES_SQL).df()
        assignments, personas = fit_personas(profiles, config.personas, config.seed)
        write_personas(con, assignments, personas)
    context.log.info(f"{len(personas)} persona(s) over {len(assignments)} profile(s)")
    table = "\n".join(
        f"| {p.persona_id} | {p.label} | {p.size} | {p.size / max(len(assignments), 1):.0%} |" for p in personas
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(assignments),
            "seed": config.seed,
            **{f"persona_{p.persona_id}_customers": p.size for p in personas},
            "personas": dg.MetadataValue.md("| persona | label | customers | share |\n|---|---|---|---|\n" + table),
        }
    )
