"""Operations: the landing sensors launch ingestion once per new state of a folder; the daily schedules, and
what the daily run leaves alone."""

import dagster as dg
import pytest

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


RAW_EVENTS, RAW_CONSENTS = dg.AssetKey(["raw", "events"]), dg.AssetKey(["raw", "consent_events"])
STAGED_EVENTS = dg.AssetKey(["staging", "stg_segment__events"])
STAGED_CONSENTS = dg.AssetKey(["staging", "stg_consent__decisions"])


@pytest.mark.slow
def test_the_daily_run_leaves_alone_the_sources_that_brought_nothing_and_their_staging(sample_home):
    definitions = defs()
    graph = definitions.resolve_asset_graph()
    raw = set(dg.AssetSelection.groups("ingest").resolve(graph))  # the raw sources (the ledger is not built)
    staging = set(dg.AssetSelection.groups("staging").resolve(graph))
    ingest_and_staging = set(dg.AssetSelection.groups("ingest", "staging").resolve(graph))
    job = definitions.resolve_job_def("materialize_everything")

    with dg.instance_for_test() as instance:  # a schedule needs an instance it can refer to

        def daily_request() -> set[dg.AssetKey]:
            context = dg.build_schedule_context(instance=instance, repository_def=definitions.get_repository_def())
            request = daily_everything(context)
            assert isinstance(request, dg.RunRequest)
            return set(request.asset_selection)

        def run(selection: set[dg.AssetKey]) -> set[dg.AssetKey]:  # the daily run's ingestion and staging
            result = job.execute_in_process(instance=instance, asset_selection=list(selection & ingest_and_staging))
            assert result.success
            return {evaluation.asset_key for evaluation in result.get_asset_check_evaluations()}

        assert daily_request() == set(graph.materializable_asset_keys)  # nothing built yet: everything
        run(daily_request())

        past_staging = set(graph.materializable_asset_keys) - raw - staging
        assert daily_request() == past_staging  # nothing new: raw and staging stay as they are, the rest is rebuilt

        late = segment("late-1", "page", "2026-10-31T09:00:00Z", "a9", name="Home")
        write(sample_home, "events/late-day.jsonl", [late])
        assert daily_request() == past_staging | {RAW_EVENTS, STAGED_EVENTS}  # the new file's source, what it feeds
        checked = run(daily_request())
        assert {RAW_EVENTS, STAGED_EVENTS} <= checked and not {RAW_CONSENTS, STAGED_CONSENTS} & checked
        assert daily_request() == past_staging

        # a check that did not pass is evaluated again, with its asset, so that it still blocks what is downstream
        for asset in (STAGED_CONSENTS, RAW_CONSENTS):
            check = next(iter(graph.get(asset).check_keys))
            instance.report_runless_asset_event(
                dg.AssetCheckEvaluation(asset_key=asset, check_name=check.name, passed=False)
            )
        assert daily_request() == past_staging | {RAW_CONSENTS, STAGED_CONSENTS}


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


@pytest.mark.slow
def test_a_source_that_fails_does_not_stop_the_others(sample_home, monkeypatch):
    """Ingestion loads every selected source in one step: one that fails leaves the others loaded, fails the
    step naming it, and is tried again with the step's retries. (Its failure is simulated: real bad input is
    quarantined, not raised.)"""
    import orchestration.defs.ingest.assets as ingest_assets

    loads = []

    def ingest_or_fail(con, landing, contract, **kwargs):
        loads.append(contract.source)
        if contract.source == "zero_party":
            raise OSError("the landing disk went away")
        return real_ingest(con, landing, contract, **kwargs)

    real_ingest = ingest_assets.ingest
    monkeypatch.setattr(ingest_assets, "ingest", ingest_or_fail)
    definitions = defs()
    ingestion = dg.AssetSelection.groups("ingest").resolve(definitions.resolve_asset_graph())
    with dg.DagsterInstance.ephemeral() as instance:
        result = definitions.resolve_job_def("materialize_everything").execute_in_process(
            instance=instance, asset_selection=list(ingestion), raise_on_error=False
        )
        loaded = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    assert not result.success
    assert "raw/zero_party" not in loaded and {"raw/events", "raw/consent_events", "raw/shopify_orders"} <= loaded
    assert loads.count("zero_party") == 3  # the first try and two retries
    failure = next(event for event in result.all_events if event.event_type == dg.DagsterEventType.STEP_FAILURE)
    assert "zero_party: the landing disk went away" in str(failure.event_specific_data.error)
