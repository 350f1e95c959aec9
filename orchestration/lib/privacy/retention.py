"""Retention: each category of data is deleted once it is older than its policy allows.

Policies are the seed ``config.retention_policies`` (category, keep_days). Records leave the warehouse and
the landing files together (``lib.ingest.rewrite``), so a replay cannot bring back what retention removed
and lineage stays exact. Categories:

- ``raw_events``, ``email_engagement``, ``declared_answers``: raw records by their own timestamp, counted
  to the as-of date. SendGrid unsubscribes and spam reports are consent evidence and never expire here.
- ``quarantine``: quarantined records by quarantine time (their lines leave the landing files; a file that
  was quarantined whole is deleted from the landing zone and its quarantine row keeps no text).
- ``exports``: deltas and manifests of exports older than the cutoff, with their ``export_log`` rows;
  the files the newest manifest names are always kept.
- ``receipts``: erasure receipts by completion time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from ..exports.run import has_state
from ..ingest.contracts import Contract
from ..ingest.rewrite import FileRewrite, RewriteCounts, Span, apply_rewrites, drop_records
from ..sample.answer_key import follow_landing
from ..warehouse import transaction
from .documents import request_document
from .receipts import receipts_exist

CONSENT_EVIDENCE = ("unsubscribe", "group_unsubscribe", "spamreport")
# category -> (source, timestamp column, which records of it the category covers)
RECORD_CATEGORIES: dict[str, tuple[str, str, str]] = {
    "raw_events": ("events", "event_timestamp", "TRUE"),
    "email_engagement": ("email_engagement", "event_timestamp", f"event NOT IN {CONSENT_EVIDENCE}"),
    "declared_answers": ("zero_party", "submitted_at", "TRUE"),
}
CATEGORIES = (*RECORD_CATEGORIES, "quarantine", "exports", "receipts")


@dataclass
class CategoryOutcome:
    category: str
    cutoff: datetime
    records: int = 0  # records, files or rows removed, as the category counts them
    files: int = 0
    landing_spans: dict[str, list[Span]] = field(default_factory=dict)  # landing file -> record spans removed


def read_policies(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute("SELECT category, keep_days FROM config.retention_policies").fetchall()
    return dict(rows)


def _drop_lines(
    con: duckdb.DuckDBPyConnection, landing: Path, contract: Contract, lines_by_file: dict[str, set[int]]
) -> RewriteCounts:
    rewrites: dict[str, FileRewrite] = {}
    for relpath, lines in sorted(lines_by_file.items()):
        path = landing / relpath
        if not path.exists():
            continue
        rewrite = drop_records(path.name, path.read_bytes(), contract.format, lambda line, _, keep=lines: line in keep)
        if rewrite is not None:
            rewrites[relpath] = rewrite
    return apply_rewrites(con, landing, contract, rewrites)


def expire_records(
    con: duckdb.DuckDBPyConnection, landing: Path, contract: Contract, column: str, where: str, cutoff: datetime
) -> RewriteCounts:
    lines_by_file: dict[str, set[int]] = defaultdict(set)
    for relpath, line in con.execute(
        f"SELECT _file, _line FROM {contract.table} WHERE {column} < ? AND {where}", [cutoff]
    ).fetchall():
        lines_by_file[relpath].add(line)
    return _drop_lines(con, landing, contract, lines_by_file)


def expire_quarantine(
    con: duckdb.DuckDBPyConnection, landing: Path, contracts: dict[str, Contract], cutoff: datetime
) -> CategoryOutcome:
    outcome = CategoryOutcome("quarantine", cutoff)
    by_source: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    whole: list[tuple[str, str]] = []
    for source, relpath, line in con.execute(
        "SELECT source, file, line FROM raw.quarantine WHERE quarantined_at < ? AND original_text IS NOT NULL",
        [cutoff],
    ).fetchall():
        if line is None:
            whole.append((source, relpath))
        else:
            by_source[source][relpath].add(line)
    for source, lines_by_file in sorted(by_source.items()):
        counts = _drop_lines(con, landing, contracts[source], lines_by_file)
        outcome.records += counts.quarantine_rows
        outcome.files += counts.files
        outcome.landing_spans |= counts.removed
    with transaction(con):
        for source, relpath in whole:
            con.execute(
                "UPDATE raw.quarantine SET original_text = NULL WHERE source = ? AND file = ? AND line IS NULL",
                [source, relpath],
            )
    for _, relpath in whole:
        (landing / relpath).unlink(missing_ok=True)
        outcome.records += 1
        outcome.files += 1
    return outcome


def expire_exports(con: duckdb.DuckDBPyConnection, exports_root: Path, cutoff: datetime) -> CategoryOutcome:
    """Deltas and manifests of exports older than the cutoff (never those the newest manifest names)."""
    outcome = CategoryOutcome("exports", cutoff)
    oldest_kept = cutoff.strftime("%Y%m%dT%H%M%S%fZ")  # export ids are their UTC generation times
    for newest in sorted(exports_root.glob("*/*/manifest.json")) if exports_root.exists() else []:
        current = json.loads(newest.read_text(encoding="utf-8"))["export_id"]
        segment = newest.parent
        for path in [*segment.glob("deltas/*.csv"), *segment.glob("manifests/*.json")]:
            if path.stem < oldest_kept and path.stem != current:
                path.unlink()
                outcome.files += 1
    if has_state(con):
        # the latest export of each segment stays: the next one's delta and churn gate start from it
        outcome.records = con.execute(
            """DELETE FROM exports.export_log AS log
               WHERE log.generated_at < ? AND log.export_id < (
                   SELECT max(latest.export_id) FROM exports.export_log AS latest
                   WHERE latest.destination = log.destination AND latest.segment_name = log.segment_name
                     AND latest.status = 'exported')""",
            [cutoff],
        ).fetchall()[0][0]
    return outcome


def expire_receipts(con: duckdb.DuckDBPyConnection, folder: Path, cutoff: datetime) -> CategoryOutcome:
    outcome = CategoryOutcome("receipts", cutoff)
    if not receipts_exist(con):
        return outcome
    expired = con.execute(
        "DELETE FROM privacy.erasure_receipts WHERE completed_at < ? RETURNING request_id", [cutoff]
    ).fetchall()
    for (request_id,) in expired:
        path = request_document(folder, request_id)
        outcome.files += path.exists()
        path.unlink(missing_ok=True)
    outcome.records = len(expired)
    return outcome


def apply_retention(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    exports_root: Path,
    receipts_folder: Path,
    truth: Path,
    contracts: dict[str, Contract],
    policies: dict[str, int],
    as_of: datetime,
    now: datetime,
) -> list[CategoryOutcome]:
    """Every category with a policy, in the order of ``CATEGORIES``; what each removed. A generated sample's
    answer key (``truth``) follows the landing files."""
    outcomes = []
    for category, (source, column, where) in RECORD_CATEGORIES.items():
        if category not in policies:
            continue
        cutoff = as_of - timedelta(days=policies[category])
        counts = expire_records(con, landing, contracts[source], column, where, cutoff)
        outcomes.append(CategoryOutcome(category, cutoff, counts.records, counts.files, counts.removed))
    if "quarantine" in policies:
        outcomes.append(expire_quarantine(con, landing, contracts, now - timedelta(days=policies["quarantine"])))
    if "exports" in policies:
        outcomes.append(expire_exports(con, exports_root, now - timedelta(days=policies["exports"])))
    if "receipts" in policies:
        outcomes.append(expire_receipts(con, receipts_folder, now - timedelta(days=policies["receipts"])))
    follow_landing(truth, {file: spans for o in outcomes for file, spans in o.landing_spans.items()})
    return outcomes


RETENTION_LOG_DDL = """
CREATE TABLE IF NOT EXISTS privacy.retention_log (
    ran_at TIMESTAMPTZ NOT NULL,
    category VARCHAR NOT NULL,
    cutoff TIMESTAMPTZ NOT NULL,
    records_removed BIGINT NOT NULL,
    files_changed BIGINT NOT NULL
)"""


def record_outcomes(con: duckdb.DuckDBPyConnection, outcomes: list[CategoryOutcome], ran_at: datetime) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS privacy")
    con.execute(RETENTION_LOG_DDL)
    con.executemany(
        "INSERT INTO privacy.retention_log VALUES (?, ?, ?, ?, ?)",
        [[ran_at, o.category, o.cutoff, o.records, o.files] for o in outcomes],
    )
