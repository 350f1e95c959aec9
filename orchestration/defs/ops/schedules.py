"""The daily runs: retention first, then the whole graph (ingest what arrived, rebuild, check, export)."""

import dagster as dg

from orchestration.defs.ops.daily import daily_selection
from orchestration.lib.settings import Settings


@dg.schedule(
    name="daily_everything",
    job_name="materialize_everything",  # the job of jobs.py, by name: one definition of it
    cron_schedule="0 3 * * *",
    execution_timezone="Asia/Tokyo",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=(
        "Every day at 03:00 Japan time: the whole graph, as `make run` does, so exports are fresh by morning; "
        "the raw sources with no new landing file and the staging models whose sources brought nothing new "
        "since their last build (same code, checks passed) are left as they are (orchestration/defs/ops/daily.py)."
    ),
)
def daily_everything(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    selection = daily_selection(context.instance, context.repository_def.asset_graph, Settings.from_env().landing)
    return dg.RunRequest(asset_selection=selection)


daily_retention = dg.ScheduleDefinition(
    name="daily_retention",
    job_name="retention_daily",
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Tokyo",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 02:00 Japan time, an hour before the daily run rebuilds everything from what is kept.",
)
