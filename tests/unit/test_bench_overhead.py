"""Orchestration overhead: a run's time outside dbt's own node execution and checkpoint, and Python steps'
compute."""

import dagster as dg
import pytest

from orchestration.lib.bench import RUN_START, overhead, overhead_entry
from orchestration.lib.warehouse import checkpoint_message


def test_overhead_is_run_time_minus_sql_and_python_work():
    entries = [
        (99.0, "ASSET_MATERIALIZATION_PLANNED", "ingest_landing", None),  # creating the run: its launch
        (99.5, "ASSET_CHECK_EVALUATION_PLANNED", "kizuna_dbt_models", None),
        (100.0, RUN_START, None, None),
        (101.0, "STEP_START", "ingest_landing", None),
        (105.0, "STEP_SUCCESS", "ingest_landing", None),  # a Python step: 4 s of work
        (105.5, "STEP_START", "kizuna_dbt_models", None),
        (110.0, "ASSET_MATERIALIZATION", "kizuna_dbt_models", 1.5),  # dbt's own clock
        (111.0, "ASSET_CHECK_EVALUATION", "kizuna_dbt_models", 0.5),
        (112.0, "STEP_SUCCESS", "kizuna_dbt_models", None),  # the rest of the dbt step is start-up
        (113.0, "RUN_SUCCESS", None, None),
    ]
    measured = overhead(entries)
    assert measured.run_seconds == 13.0
    assert measured.work_seconds == pytest.approx(6.0)
    assert measured.overhead_seconds == pytest.approx(7.0)
    assert measured.launch_seconds == pytest.approx(1.0)


def test_the_run_counts_from_dagsters_own_start_event():
    assert dg.DagsterEventType.RUN_START.value == RUN_START


def test_dbt_nodes_running_side_by_side_count_once():
    entries = [
        (100.0, "STEP_START", "kizuna_dbt_models", None),
        (104.0, "ASSET_MATERIALIZATION", "kizuna_dbt_models", 3.0),  # 101-104
        (104.5, "ASSET_CHECK_EVALUATION", "kizuna_dbt_models", 3.0),  # 101.5-104.5, beside it
        (106.0, "ASSET_CHECK_EVALUATION", "kizuna_dbt_models", 1.0),  # 105-106
        (107.0, "STEP_SUCCESS", "kizuna_dbt_models", None),
    ]
    measured = overhead(entries)
    assert measured.work_seconds == pytest.approx(4.5)
    assert measured.overhead_seconds == pytest.approx(2.5)


def test_the_checkpoint_a_dbt_step_logs_counts_as_sql():
    def logged(timestamp, message, step_key=None):
        return dg.EventLogEntry(
            error_info=None, level="INFO", user_message=message, run_id="r", timestamp=timestamp, step_key=step_key
        )

    records = [
        logged(200.0, "Running dbt in-process: dbt build", "kizuna_dbt_models"),
        logged(210.0, checkpoint_message(1.25, 0.5), "kizuna_dbt_models"),  # wrote 208.25-209.5, closed until 210
        logged(211.0, "something else"),
    ]
    entries = [overhead_entry(record) for record in records]
    assert entries[1] == (209.5, "CHECKPOINT", "kizuna_dbt_models", 1.25)
    assert entries[0][1] == entries[2][1] == "log"
    measured = overhead(entries)
    assert measured.work_seconds == pytest.approx(1.25)
    assert measured.overhead_seconds == pytest.approx(11.0 - 1.25)
