"""Retention by category: expired records leave raw tables and landing files together, the rest stays byte
for byte, consent evidence is kept, the ledger still reconciles and a re-run of ingestion loads nothing."""

import json
from datetime import UTC, datetime, timedelta

import duckdb

from orchestration.lib.ingest.loader import ingest
from orchestration.lib.ingest.reconcile import reconcile
from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.privacy.retention import apply_retention
from orchestration.lib.settings import Settings
from orchestration.lib.warehouse import connect
from tests.landing_builders import form_response, segment, sendgrid_event, write

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
POLICIES = {"raw_events": 730, "email_engagement": 365, "declared_answers": 1095, "quarantine": 0, "exports": 180}


def ingest_all(settings: Settings) -> dict:
    with connect(settings.warehouse) as con:
        return {
            source: ingest(con, settings.landing, contract, datetime.now(UTC)) for source, contract in CONTRACTS.items()
        }


def test_each_category_expires_on_its_own_clock(kizuna_home):
    settings = Settings.from_env()
    old_event = segment("m-old", "track", "2023-06-01T00:00:00Z", "dev-1", event="Product Viewed")
    new_event = segment("m-new", "track", "2026-10-01T00:00:00Z", "dev-1", event="Product Viewed")
    write(kizuna_home, "events/e.jsonl", [old_event, "{not json", new_event])
    emails = [
        sendgrid_event("sg-open-old", "2025-01-01T00:00:00+09:00", "a@example.jp", "open"),
        sendgrid_event("sg-unsub-old", "2025-01-02T00:00:00+09:00", "a@example.jp", "unsubscribe"),
        sendgrid_event("sg-open-new", "2026-10-01T00:00:00+09:00", "a@example.jp", "open"),
    ]
    write(kizuna_home, "email_engagement/s.jsonl", emails)
    answers = [
        form_response("t-old", "Quiz", "2023-01-01T00:00:00Z", {}, ["style"], {"style": "casual"}),
        form_response("t-new", "Quiz", "2026-01-01T00:00:00Z", {}, ["style"], {"style": "formal"}),
    ]
    write(kizuna_home, "zero_party/f.jsonl", answers)
    ingest_all(settings)

    segment_folder = settings.exports / "klaviyo_contacts" / "birthday_this_month"
    old_id = (datetime.now(UTC) - timedelta(days=400)).strftime("%Y%m%dT%H%M%S%fZ")
    current_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    (segment_folder / "deltas").mkdir(parents=True)
    for export_id in (old_id, current_id):
        (segment_folder / "deltas" / f"{export_id}.csv").write_text("change,customer_key\n")
    (segment_folder / "manifest.json").write_text(json.dumps({"export_id": current_id}))

    with connect(settings.warehouse) as con:
        outcomes = apply_retention(
            con,
            settings.landing,
            settings.exports,
            kizuna_home / "privacy" / "receipts",
            kizuna_home / "truth",
            CONTRACTS,
            POLICIES,
            AS_OF,
            datetime.now(UTC) + timedelta(seconds=1),
        )
    removed = {o.category: o.records for o in outcomes}
    assert removed == {"raw_events": 1, "email_engagement": 1, "declared_answers": 1, "quarantine": 1, "exports": 0}

    assert (kizuna_home / "landing/events/e.jsonl").read_text() == new_event + "\n"
    email_file = kizuna_home / "landing/email_engagement/s.jsonl"
    kept_emails = [json.loads(line)["sg_event_id"] for line in email_file.open()]
    assert kept_emails == ["sg-unsub-old", "sg-open-new"]  # an unsubscribe is consent evidence
    assert (kizuna_home / "landing/zero_party/f.jsonl").read_text() == answers[1] + "\n"
    assert sorted(p.stem for p in segment_folder.glob("deltas/*.csv")) == [current_id]

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute("SELECT message_id, _line FROM raw.events").fetchall() == [("m-new", 1)]
        assert con.execute("SELECT count(*) FROM raw.quarantine").fetchall() == [(0,)]
        for contract in CONTRACTS.values():
            checked, mismatches = reconcile(con, contract)
            assert mismatches == [], contract.source
    again = ingest_all(settings)
    assert all(not report.outcomes for report in again.values())  # the ledger knows the rewritten files
