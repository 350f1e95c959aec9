"""The export gate: no export while a blocking check upstream of it failed at its latest evaluation.

Dagster skips what is downstream of a failed blocking check within a run, but not across a dbt multi-asset
step (the dbt models run anyway, and so would the exports after them). Exports therefore ask the instance
themselves, so that consent and quality failures anywhere upstream hold them, in this run or any later one
(a run of the exports alone included) until the check passes again.
"""

import dagster as dg
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus


def failed_blocking_checks(context: dg.AssetExecutionContext) -> list[str]:
    graph = whole_graph(context.job_def)
    upstream = graph.get_ancestor_asset_keys(context.asset_key)
    blocking = [
        key for key in graph.asset_check_keys if key.asset_key in upstream and graph.get_check_spec(key).blocking
    ]
    latest = context.instance.event_log_storage.get_latest_asset_check_execution_by_key(blocking)
    return sorted(
        f"{key.asset_key.to_user_string()}:{key.name}"
        for key, record in latest.items()
        if record.status == AssetCheckExecutionRecordStatus.FAILED
    )


def whole_graph(job: dg.JobDefinition):
    """The asset graph of the job a run's selection was taken from: a run of the exports alone holds none of
    their upstream assets in its own graph, and would find no check to wait for."""
    while job.asset_selection_data is not None:
        job = job.asset_selection_data.parent_job_def
    return job.asset_layer.asset_graph
