"""Incremental staging of the append-only sources: a daily build adds only what arrived (late events and
re-deliveries included), ends where a rebuild from raw ends, and follows landing rewrites."""

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs as load_defs
from orchestration.lib.ingest.rewrite import apply_rewrites, drop_records
from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.settings import Settings
from orchestration.lib.warehouse import connect
from tests.landing_builders import segment, write

pytestmark = pytest.mark.slow

INCREMENTAL = {  # model -> its key
    "stg_segment__events": "message_id",
    "stg_sendgrid__events": "sg_event_id",
    "stg_pos__receipt_lines": "receipt_line_id",
    "stg_consent__decisions": "consent_decision_id",
    "stg_typeform__responses": "response_id",
    "stg_typeform__answers": "answer_id",
    "stg_typeform__questions_shown": "question_shown_id",
}
MARKER = "kizuna-test-marker"  # a row no raw row stages: survives increments, gone after a rebuild


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    return load_defs()


def daily_run(defs: dg.Definitions, expect_success: bool = True) -> dg.ExecuteInProcessResult:
    """Ingest what arrived, then build all of staging (the daily schedule leaves out the staging models that
    nothing new reaches: tests/integration/test_operations.py)."""
    keys = dg.AssetSelection.groups("ingest", "staging").resolve(defs.resolve_asset_graph())
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("materialize_everything").execute_in_process(
            instance=instance, asset_selection=list(keys), raise_on_error=False
        )
    assert result.success == expect_success
    return result


def staged(home: Path) -> dict[str, list[tuple]]:
    """Every staged row, but when it was staged (an increment's rows were staged later than a rebuild's)."""
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return {
            model: con.execute(
                f"SELECT * EXCLUDE (staged_at) FROM staging.{model} WHERE {key} <> '{MARKER}' ORDER BY {key}"
            ).fetchall()
            for model, key in INCREMENTAL.items()
        }


def check_evaluations(result: dg.ExecuteInProcessResult, asset: tuple[str, ...]) -> dict[str, object]:
    """The asset checks evaluated on ``asset`` in a run, by name."""
    return {
        data.asset_check_key.name: data
        for event in result.all_events
        if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
        and (data := event.event_specific_data).asset_check_key.asset_key == dg.AssetKey(list(asset))
    }


def hold_back_latest(landing: Path, held: Path) -> int:
    """Take the newest files of each append-only source out of the landing zone (as if not delivered yet)."""
    moved = 0
    for source, newest in (
        ("events", 12),
        ("email_engagement", 2),
        ("pos_transactions", 1),
        ("consent_events", 1),
        ("zero_party", 1),
    ):
        (held / source).mkdir(parents=True)
        for path in sorted((landing / source).iterdir())[-newest:]:
            shutil.move(path, held / source / path.name)
            moved += 1
    return moved


def test_daily_build_adds_what_arrived_and_matches_a_rebuild(sample_home, defs, tmp_path):
    settings = Settings.from_env()
    held = tmp_path / "held"
    assert hold_back_latest(settings.landing, held) == 17
    daily_run(defs)

    with duckdb.connect(str(settings.warehouse)) as con:
        counts_before = {m: con.execute(f"SELECT count(*) FROM staging.{m}").fetchone()[0] for m in INCREMENTAL}
        con.execute(
            f"INSERT INTO staging.stg_segment__events (message_id, event_type, event_at, loaded_at) "
            f"SELECT '{MARKER}', 'track', max(event_at), max(loaded_at) FROM staging.stg_segment__events"
        )
        first_file, first_line, known_id, known_at = con.execute(
            "SELECT source_file, source_line, message_id, event_at FROM staging.stg_segment__events "
            "WHERE message_id <> ? ORDER BY event_at DESC LIMIT 1",
            [MARKER],
        ).fetchone()
    # what the vendors deliver next: the held-back files, a re-delivered copy of a message already staged,
    # and an event that happened 300 days ago (a device offline that long), far past any lookback
    shutil.copytree(held, settings.landing, dirs_exist_ok=True)
    original = json.loads((settings.landing / first_file).read_text().splitlines()[first_line - 1])
    # the retry reached Segment a second before the copy staged yesterday: the first delivered to us still wins
    received = datetime.fromisoformat(original["receivedAt"].replace("Z", "+00:00")) - timedelta(seconds=1)
    retry = json.dumps({**original, "receivedAt": received.isoformat()})
    late = segment("late-by-300-days", "track", "2026-01-05T09:00:00Z", "offline-phone", event="Product Viewed")
    write(sample_home, "events/segment-redelivery.jsonl", [retry, late])
    assert original["messageId"] == known_id
    daily_run(defs)

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert (
            con.execute("SELECT count(*) FROM staging.stg_segment__events WHERE message_id = ?", [MARKER]).fetchone()[0]
            == 1
        ), "the second build rebuilt the table instead of adding to it"
        copies = con.execute(
            "SELECT source_file, event_at FROM staging.stg_segment__events WHERE message_id = ?", [known_id]
        ).fetchall()
        assert copies == [(first_file, known_at)], "a re-delivered message is staged once, from its first delivery"
        assert con.execute(
            "SELECT count(*) FROM staging.stg_segment__events WHERE message_id = 'late-by-300-days'"
        ).fetchone() == (1,)
        for model in INCREMENTAL:
            assert con.execute(f"SELECT count(*) FROM staging.{model}").fetchone()[0] > counts_before[model], model
    incremental = staged(sample_home)

    with dg.DagsterInstance.ephemeral() as instance:
        assert defs.resolve_job_def("rebuild_staging").execute_in_process(instance=instance).success
    assert staged(sample_home) == incremental  # the increments end where a rebuild from raw ends
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute(
            "SELECT count(*) FROM staging.stg_segment__events WHERE message_id = ?", [MARKER]
        ).fetchone() == (0,)


def test_staged_rows_follow_a_landing_rewrite(sample_home, defs):
    """Erasure and retention take records out of landing files already staged: the staged copies go, and the
    lines of the rest move up with the file, as raw's do."""
    settings = Settings.from_env()
    daily_run(defs)
    contract = CONTRACTS["events"]
    with connect(settings.warehouse) as con:
        relpath, first, lines = con.execute(
            """SELECT source_file, min(source_line), count(*) FROM staging.stg_segment__events
               GROUP BY 1 HAVING count(*) >= 3 ORDER BY 3 DESC, 1 LIMIT 1"""
        ).fetchone()
        path = settings.landing / relpath
        rewrite = drop_records(path.name, path.read_bytes(), contract.format, lambda line, _: line == first)
        apply_rewrites(con, settings.landing, contract, {relpath: rewrite})
        mismatched = con.execute(
            """SELECT count(*) FROM staging.stg_segment__events s
               LEFT JOIN raw.events r ON r._file = s.source_file AND r._line = s.source_line
               WHERE s.source_file = ? AND r.message_id IS DISTINCT FROM s.message_id""",
            [relpath],
        ).fetchone()[0]
        left = con.execute("SELECT count(*) FROM staging.stg_segment__events WHERE source_file = ?", [relpath])
        assert left.fetchone()[0] == lines - 1
    assert mismatched == 0
    daily_run(defs)  # the rewritten file is not staged again: its ledger entry follows the rewrite
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute(
            "SELECT count(*), count(DISTINCT source_line) FROM staging.stg_segment__events WHERE source_file = ?",
            [relpath],
        ).fetchone() == (lines - 1, lines - 1)


def test_a_daily_builds_checks_judge_what_it_added(sample_home, defs):
    """The key and identifier checks of an appended table read what the latest build added. A key already
    staged is refused by the model however much later it comes again (as a rebuild from raw keeps one copy),
    and a duplicate that got in anyway fails the key check."""
    settings = Settings.from_env()
    daily_run(defs)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        known_id, known_at, known_file = con.execute(
            "SELECT message_id, event_at, source_file FROM staging.stg_segment__events ORDER BY event_at LIMIT 1"
        ).fetchone()
        staged_emails = con.execute(
            "SELECT count(DISTINCT email) FROM staging.stg_segment__events WHERE email IS NOT NULL"
        ).fetchone()[0]

    fresh = segment("fresh-1", "identify", "2026-10-30T09:00:00Z", "new-device", traits={"email": "new@example.jp"})
    reused = (known_at + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")  # far past any lookback
    write(sample_home, "events/segment-fresh.jsonl", [fresh, segment(known_id, "track", reused, "d", event="V")])
    checks = check_evaluations(daily_run(defs), ("staging", "stg_segment__events"))
    assert checks["unique_keys_of_latest_build_stg_segment__events_message_id"].passed
    formats = checks["gx_identifier_formats"]
    assert formats.passed
    assert formats.metadata["rows_validated"].value == 1 < staged_emails  # the new address, not the history
    with duckdb.connect(str(settings.warehouse)) as con:
        assert con.execute(
            "SELECT source_file FROM staging.stg_segment__events WHERE message_id = ?", [known_id]
        ).fetchall() == [(known_file,)], "a key already staged came in again"
        # a duplicate that got past the model (a defect in it) fails the key check of the build it came with:
        # stamped as the next build stamps what it stages, at or after its start (a build that stages nothing
        # has nothing to judge, and does not judge the previous one again)
        con.execute(
            "INSERT INTO staging.stg_segment__events (message_id, key_digest, event_type, event_at, loaded_at, "
            "staged_at) SELECT message_id, key_digest, event_type, event_at, loaded_at, now() + INTERVAL 1 HOUR "
            "FROM staging.stg_segment__events WHERE message_id = 'fresh-1'"
        )
    checks = check_evaluations(daily_run(defs, expect_success=False), ("staging", "stg_segment__events"))
    assert not checks["unique_keys_of_latest_build_stg_segment__events_message_id"].passed

    # the check groups the keys' digests: a row whose digest is not its key's would hide a duplicate, so it fails
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute(
            "INSERT INTO staging.stg_segment__events (message_id, key_digest, event_type, event_at, loaded_at, "
            "staged_at) SELECT 'fresh-2', key_digest + 1, event_type, event_at, loaded_at, now() + INTERVAL 2 HOUR "
            "FROM staging.stg_segment__events WHERE message_id = 'fresh-1' LIMIT 1"
        )
    checks = check_evaluations(daily_run(defs, expect_success=False), ("staging", "stg_segment__events"))
    assert not checks["unique_keys_of_latest_build_stg_segment__events_message_id"].passed
