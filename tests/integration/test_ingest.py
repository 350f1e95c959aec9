"""Ingestion on a generated zone with bad files added: nothing lost, nothing loaded twice."""

import gzip
import os
import shutil
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from orchestration.lib.ingest.loader import ingest
from orchestration.lib.ingest.reconcile import reconcile
from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.sample.formats import POS_HEADER
from orchestration.lib.settings import Settings
from orchestration.lib.warehouse import connect

FIRST = datetime(2026, 11, 1, 3, tzinfo=UTC)
SECOND = datetime(2026, 11, 2, 3, tzinfo=UTC)


def ingest_all(settings: Settings, loaded_at: datetime) -> dict:
    with connect(settings.warehouse) as con:
        return {source: ingest(con, settings.landing, contract, loaded_at) for source, contract in CONTRACTS.items()}


@pytest.fixture
def broken_home(sample_home):
    landing = sample_home / "landing"
    # a Shopify export saved from Excel in Shift_JIS
    (landing / "shopify_customers" / "customers_export_sjis.csv").write_bytes(
        "Customer ID,First Name,Email\n'6200000000099,山田,yamada@example.jp\n".encode("cp932")
    )
    # a POS export from another system: wrong header
    (landing / "pos_transactions" / "pos-other-system.csv").write_text("ticket;shop;amount\n1;A;100\n")
    # a gzip cut off in transfer
    (landing / "events" / "segment-cut.jsonl.gz").write_bytes(gzip.compress(b'{"messageId":"x"}\n' * 50)[:-20])
    # still being written by a well-behaved writer: must be ignored
    (landing / "events" / ".segment-next.jsonl.part").write_text('{"messageId":"half')
    # the same file dropped again under another name
    first_email_file = sorted((landing / "email_engagement").iterdir())[0]
    shutil.copy(first_email_file, landing / "email_engagement" / "resent-copy.jsonl")
    broken_home_original = first_email_file.relative_to(landing).as_posix()
    return sample_home, broken_home_original


def test_everything_is_loaded_or_quarantined_and_counts_reconcile(broken_home):
    broken_home, resent_original = broken_home
    settings = Settings.from_env()
    reports = ingest_all(settings, FIRST)
    with connect(settings.warehouse, read_only=True) as con:
        for source, contract in CONTRACTS.items():
            files, mismatches = reconcile(con, contract)
            assert files > 0 and mismatches == [], source
            assert con.execute(f"SELECT count(*) FROM raw.{source}").fetchone()[0] > 0, source
        quarantined_lines = set(con.execute("SELECT file, line FROM raw.quarantine WHERE line IS NOT NULL").fetchall())
        whole_files = dict(con.execute("SELECT file, reason FROM raw.quarantine WHERE line IS NULL").fetchall())
        ledger = dict(con.execute("SELECT path, status FROM raw.loaded_files").fetchall())

    truth = pq.read_table(list((broken_home / "truth").glob("bad_records-*.parquet"))).to_pandas()
    injected = {(f, int(line)) for f, line in truth[["file", "line"]].itertuples(index=False)}
    assert quarantined_lines == injected  # every malformed line, and nothing else, is in quarantine

    assert whole_files == {
        "shopify_customers/customers_export_sjis.csv": (
            "file is not UTF-8 (it decodes as Shift_JIS/CP932); re-export it as UTF-8"
        ),
        "pos_transactions/pos-other-system.csv": (
            "header lacks required columns: receipt_id, store_id, transacted_at, line_number, sku, quantity, unit_price"
        ),
        "events/segment-cut.jsonl.gz": "corrupt or truncated gzip stream (EOFError)",
    }
    # one of the two identical files is loaded, the other recorded as a duplicate and not loaded again
    assert {ledger["email_engagement/resent-copy.jsonl"], ledger[resent_original]} == {"loaded", "duplicate"}
    assert not any(".part" in path for path in ledger)
    assert reports["events"].total("rows_read") == reports["events"].total("rows_loaded") + reports["events"].total(
        "rows_quarantined"
    )


def test_a_second_run_loads_nothing_and_a_changed_file_is_quarantined(sample_home):
    settings = Settings.from_env()
    ingest_all(settings, FIRST)
    with connect(settings.warehouse, read_only=True) as con:
        before = {s: con.execute(f"SELECT count(*) FROM raw.{s}").fetchone()[0] for s in CONTRACTS}

    touched = sorted((sample_home / "landing" / "events").iterdir())[0]
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))  # same bytes, new mtime
    again = ingest_all(settings, SECOND)
    assert all(not report.outcomes and report.already_loaded > 0 for report in again.values())

    changed = sorted((sample_home / "landing" / "consent_events").iterdir())[0]
    changed.write_text(changed.read_text() + changed.read_text().splitlines()[0] + "\n")
    third = ingest_all(settings, SECOND)
    (outcome,) = third["consent_events"].outcomes
    assert outcome.status == "quarantined" and "immutable" in outcome.reason
    with connect(settings.warehouse, read_only=True) as con:
        after = {s: con.execute(f"SELECT count(*) FROM raw.{s}").fetchone()[0] for s in CONTRACTS}
        assert reconcile(con, CONTRACTS["consent_events"])[1] == []
    assert after == before


def test_a_failing_batch_leaves_nothing_behind(sample_home, monkeypatch):
    settings = Settings.from_env()
    from orchestration.lib.ingest import loader

    real = loader._Batch.to_arrow

    def crash_after_framing(self, contract):
        table = real(self, contract)
        return table.append_column("_boom", table.column("_line")).drop_columns(["_raw"])  # breaks the SQL

    monkeypatch.setattr(loader._Batch, "to_arrow", crash_after_framing)
    with connect(settings.warehouse) as con, pytest.raises(Exception, match="_raw"):
        ingest(con, settings.landing, CONTRACTS["pos_transactions"], FIRST)
    monkeypatch.undo()
    with connect(settings.warehouse) as con:
        assert con.execute("SELECT count(*) FROM raw.loaded_files").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM raw.pos_transactions").fetchone()[0] == 0
        report = ingest(con, settings.landing, CONTRACTS["pos_transactions"], FIRST)  # the next run loads it all
        assert report.total("rows_loaded") > 0 and reconcile(con, CONTRACTS["pos_transactions"])[1] == []


def test_pos_header_is_the_contract_header():
    assert CONTRACTS["pos_transactions"].required_headers == [
        h
        for h in POS_HEADER
        if h in {"receipt_id", "store_id", "transacted_at", "line_number", "sku", "quantity", "unit_price"}
    ]


def test_load_times_only_move_forward_when_the_clock_steps_back(kizuna_home):
    """Incremental staging takes rows loaded after the latest it staged: an earlier stamp would hide them."""
    from tests.landing_builders import segment, write

    settings = Settings.from_env()
    write(kizuna_home, "events/a.jsonl", [segment("m-a", "track", "2026-10-01T00:00:00Z", "dev-1", event="X")])
    ingest_all(settings, SECOND)
    write(kizuna_home, "events/b.jsonl", [segment("m-b", "track", "2026-10-02T00:00:00Z", "dev-1", event="X")])
    ingest_all(settings, FIRST)  # the clock was set back a day in between
    with connect(settings.warehouse, read_only=True) as con:
        stamps = dict(con.execute("SELECT message_id, _loaded_at FROM raw.events").fetchall())
    assert stamps["m-a"] == SECOND and stamps["m-b"] > SECOND
