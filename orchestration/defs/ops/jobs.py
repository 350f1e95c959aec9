"""Jobs: the whole graph, as `make run` and the daily schedule materialize it; data-subject requests;
retention; rebuilding the incrementally staged sources."""

import dagster as dg

materialize_everything = dg.define_asset_job(
    "materialize_everything",
    selection=dg.AssetSelection.all(),
    description="Ingest every landing source, build every dbt model and run every check.",
)

privacy_requests = dg.define_asset_job(
    "privacy_requests",
    selection=dg.AssetSelection.assets(
        ["raw", "deletion_requests"],
        ["staging", "stg_opendsr__requests"],
        ["staging", "stg_opendsr__subject_identities"],
        ["intermediate", "int_privacy_request_subjects"],
        ["privacy", "erasure"],
        ["privacy", "access_bundles"],
    ),
    description=(
        "A data-subject request as soon as it lands: load it, resolve its subject against the current profiles, "
        "carry out erasures and write access bundles. The rest of the graph waits for the daily run."
    ),
)

retention_daily = dg.define_asset_job(
    "retention_daily",
    selection=dg.AssetSelection.assets(["privacy", "retention"]),
    description="Delete what has outlived its retention policy, from the warehouse and the landing files.",
)

rebuild_staging = dg.define_asset_job(
    "rebuild_staging",
    selection=dg.AssetSelection.groups("staging"),
    config={"ops": {"kizuna_dbt_models": {"config": {"full_refresh": True}}}},
    description=(
        "Rebuild the staging layer from raw, incremental models included (a full refresh). Needed after a change to "
        "an incremental model's SQL or to a dbt var it uses: the daily run only adds what arrived since the last build."
    ),
)
