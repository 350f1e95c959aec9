"""Jobs: the whole graph, as `make run` and the daily schedule materialize it."""

import dagster as dg

materialize_everything = dg.define_asset_job(
    "materialize_everything",
    selection=dg.AssetSelection.all(),
    description="Ingest every landing source, build every dbt model and run every check.",
)
