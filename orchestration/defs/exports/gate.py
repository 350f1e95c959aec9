"""The export gate: no export while a blocking check upstream of it failed at its latest evaluation.

Dagster skips what is downstream of a failed blocking check within a run, but not across a dbt multi-asset
step (the dbt models run anyway, and so would the exports after them). Exports therefore ask the instance
themselves, so that consent and quality failures anywhere upstream hold them, in this run or any later one
until the check passes again.
"""

import dagster as dg
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus


def failed_blocking_checks(context: dg.AssetExecutionContext) -> list[str]:
    graph = context.job_def.asset_layer.asset_graph
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
