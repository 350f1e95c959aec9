"""Operations: the landing sensors launch ingestion once per new state of a folder; the daily schedules."""

import dagster as dg

from orchestration.definitions import defs
from orchestration.defs.ops.schedules import daily_everything, daily_retention
from orchestration.defs.ops.sensors import landing_sensors
from tests.landing_builders import segment, write

EVENTS = next(sensor for sensor in landing_sensors if sensor.name == "landing_events")


def evaluate(cursor: str | None):
    context = dg.build_sensor_context(cursor=cursor)
    return EVENTS(context), context.cursor


def test_a_landing_sensor_launches_once_per_new_state_of_its_folder(kizuna_home):
    result, cursor = evaluate(None)
    assert isinstance(result, dg.SkipReason) and "no ready file" in result.skip_message

    write(kizuna_home, "events/day-1.jsonl", [segment("m1", "page", "2026-10-01T00:00:00Z", "a1", name="Home")])
    first, cursor = evaluate(None)
    assert isinstance(first, dg.RunRequest) and first.run_key.startswith("events-")

    again, same_cursor = evaluate(cursor)
    assert isinstance(again, dg.SkipReason) and same_cursor == cursor

    (kizuna_home / "landing" / "events" / ".day-2.jsonl.part").write_text("{}\n")  # still being written
    assert isinstance(evaluate(cursor)[0], dg.SkipReason)

    write(kizuna_home, "events/day-2.jsonl", [segment("m2", "page", "2026-10-02T00:00:00Z", "a1", name="Home")])
    second, _ = evaluate(cursor)
    assert isinstance(second, dg.RunRequest) and second.run_key != first.run_key


def test_the_whole_graph_runs_daily_in_japan_time():
    assert daily_everything.cron_schedule == "0 3 * * *"
    assert daily_everything.execution_timezone == "Asia/Tokyo"
    assert daily_everything.job_name == "materialize_everything"


def test_retention_runs_daily_an_hour_before_the_rebuild():
    assert daily_retention.cron_schedule == "0 2 * * *"
    assert daily_retention.execution_timezone == "Asia/Tokyo"
    assert daily_retention.job_name == "retention_daily"
    job = defs().resolve_job_def("retention_daily")
    assert job.asset_layer.executable_asset_keys == {dg.AssetKey(["privacy", "retention"])}


def test_a_deletion_request_launches_the_privacy_job():
    sensor = defs().get_sensor_def("landing_deletion_requests")
    assert sensor.job_name == "privacy_requests"
    job = defs().resolve_job_def("privacy_requests")
    selected = {key.to_user_string() for key in job.asset_layer.executable_asset_keys}
    assert {"raw/deletion_requests", "intermediate/int_privacy_request_subjects", "privacy/erasure"} <= selected
