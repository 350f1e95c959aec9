"""Erasure requests carried out across every layer, in an order that a crash cannot turn into a leak.

For each pending request (OpenDSR ``erasure``) the subject is the whole person: every identifier of every
profile the request's identities resolve to, plus those identities themselves. In one batch:

1. the request is recorded as started and the identifiers join the suppression list (salted digests);
2. export files are rewritten without the subjects, and destinations that had them get an erasure notice;
3. the generator's truth files and any access bundle about the subjects are scrubbed;
4. every warehouse table outside ``raw`` loses the rows that name a subject's key or identifier;
5. every landing file loses the subjects' records, and ``raw`` follows it (``lib.ingest.rewrite``);
6. the DuckDB file is rewritten (``compact``): deleted values linger in free blocks otherwise;
7. ``verify`` searches every file and table, and the receipt is written.

Steps 2 to 5 keep the request's own line until the last: a crash before step 5 leaves the request pending,
and the next run does everything again (each step is idempotent).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from ..ingest.contracts import Contract
from ..ingest.framing import FramingError
from ..ingest.rewrite import Span, apply_rewrites, drop_records
from ..landing import discover
from ..sample.answer_key import follow_landing, people_with
from ..warehouse import text_columns, transaction
from .matching import Suppression, leaf_values
from .receipts import ensure_receipts, handled_requests, record_started
from .suppression import ensure_suppression, suppress

PROTECTED = ("raw", "config", "privacy")  # schemas step 4 leaves alone: raw follows the landing files


@dataclass(frozen=True)
class ErasureRequest:
    request_id: str
    submitted_at: datetime | None
    customer_keys: tuple[str, ...]
    identities: tuple[str, ...]  # the request's own identities (normalised raw ones)


@dataclass
class ErasureBatch:
    requests: list[ErasureRequest]
    identifiers: dict[str, set[str]]  # request id -> every identifier of its subject (normalised)
    table_rows: Counter = field(default_factory=Counter)  # "schema.table" -> rows removed
    landing_records: Counter = field(default_factory=Counter)  # source -> records removed
    files_rewritten: Counter = field(default_factory=Counter)  # layer -> files
    destinations: dict[str, int] = field(default_factory=dict)  # destination -> people in its notice

    @property
    def all_identifiers(self) -> set[str]:
        return set().union(*self.identifiers.values()) if self.identifiers else set()

    @property
    def all_keys(self) -> set[str]:
        return {key for request in self.requests for key in request.customer_keys}


def subject_hash(suppression: Suppression, request: ErasureRequest) -> str:
    """A salted digest standing for the subject in receipts: comparable, not reversible."""
    return suppression.digest("|".join(sorted(request.identities)) or request.request_id)


def notice_name(request_ids: list[str]) -> str:
    return hashlib.sha256("|".join(sorted(request_ids)).encode()).hexdigest()[:16]


def pending_erasures(con: duckdb.DuckDBPyConnection) -> list[ErasureRequest]:
    done = handled_requests(con)
    rows = con.execute("""
        SELECT subjects.subject_request_id, any_value(subjects.submitted_at),
               list(DISTINCT subjects.customer_key) FILTER (WHERE subjects.customer_key IS NOT NULL),
               (SELECT list(DISTINCT identities.identity_value)
                FROM staging.stg_opendsr__subject_identities AS identities
                WHERE identities.subject_request_id = subjects.subject_request_id
                  AND identities.identity_format = 'raw' AND identities.identity_value IS NOT NULL)
        FROM intermediate.int_privacy_request_subjects AS subjects
        WHERE subjects.request_type = 'erasure'
        GROUP BY subjects.subject_request_id ORDER BY 1""").fetchall()
    return [
        ErasureRequest(rid, submitted, tuple(sorted(keys or ())), tuple(sorted(identities or ())))
        for rid, submitted, keys, identities in rows
        if rid not in done
    ]


def plan_batch(con: duckdb.DuckDBPyConnection, requests: list[ErasureRequest]) -> ErasureBatch:
    identifiers = {}
    for request in requests:
        known = con.execute(
            "SELECT DISTINCT identifier_value FROM marts.customer_identities WHERE customer_key IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [list(request.customer_keys)],
        ).fetchall()
        identifiers[request.request_id] = {value for (value,) in known} | set(request.identities)
    return ErasureBatch(requests, identifiers)


def start(con: duckdb.DuckDBPyConnection, batch: ErasureBatch, suppression: Suppression, now: datetime) -> None:
    """Step 1: the requests are on record and their identifiers can never be stored again."""
    ensure_receipts(con)
    ensure_suppression(con)
    with transaction(con):
        for request in batch.requests:
            digest = subject_hash(suppression, request)
            record_started(con, request.request_id, digest, request.submitted_at, now)
            suppress(con, suppression, batch.identifiers[request.request_id], digest, now)


def scrub_truth(truth: Path, suppression: Suppression, batch: ErasureBatch, spans: dict[str, list[Span]]) -> None:
    """Step 3a: the sample generator's answer key loses the subjects and follows the landing rewrite."""
    people = people_with(truth, suppression.value_matches)
    batch.files_rewritten["truth"] += follow_landing(truth, spans, people)


def scrub_access_bundles(folder: Path, suppression: Suppression, batch: ErasureBatch) -> None:
    """Step 3b: an access bundle about an erased person is deleted (it is nothing but their data)."""
    if not folder.exists():
        return
    for path in sorted(folder.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        values = leaf_values(text.replace("\n", " "), "jsonl")
        if any(value in batch.all_keys or suppression.value_matches(value) for value in values):
            path.unlink()
            batch.files_rewritten["access bundles deleted"] += 1


def delete_from_tables(con: duckdb.DuckDBPyConnection, batch: ErasureBatch) -> None:
    """Step 4: rows naming a subject's key or identifier, in every table outside raw, config and privacy."""
    needles = sorted({value.lower() for value in batch.all_identifiers} | {key.lower() for key in batch.all_keys})
    if not needles:
        return
    tables = {name: columns for name, columns in text_columns(con, ("VARCHAR",)).items() if name[0] not in PROTECTED}
    con.execute("CREATE OR REPLACE TEMP TABLE _needles AS SELECT unnest(?::VARCHAR[]) AS value", [needles])
    with transaction(con):
        for (schema, table), columns in tables.items():
            where = " OR ".join(f'lower("{c}") IN (SELECT value FROM _needles)' for c in columns)
            removed = con.execute(f'DELETE FROM "{schema}"."{table}" WHERE {where}').fetchall()[0][0]
            if removed:
                batch.table_rows[f"{schema}.{table}"] += removed
    con.execute("DROP TABLE _needles")


def scrub_landing(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    contracts: list[Contract],
    suppression: Suppression,
    batch: ErasureBatch,
) -> dict[str, list]:
    """Step 5: every landing file without the subjects' records; raw and the ledger follow. Removed spans
    per file, for whatever else numbers landing lines."""
    spans: dict[str, list] = {}
    for contract in contracts:
        rewrites = {}
        for landing_file in discover(landing, contract.source, contract.format):
            data = landing_file.path.read_bytes()
            try:
                rewrite = drop_records(
                    landing_file.path.name,
                    data,
                    contract.format,
                    lambda _, text, fmt=contract.format: suppression.record_matches(text, fmt),
                    contract.record_group,
                )
            except FramingError:  # a corrupt gzip stream: left to verification, which will name the file
                continue
            if rewrite is not None:
                rewrites[landing_file.relpath] = rewrite
        counts = apply_rewrites(con, landing, contract, rewrites)
        spans |= counts.removed
        if counts.files:
            batch.files_rewritten["landing"] += counts.files
            batch.landing_records[contract.source] += counts.records
            batch.table_rows[contract.table] += counts.raw_rows
            batch.table_rows["raw.quarantine"] += counts.quarantine_rows
    return spans


def compact(path: Path) -> None:
    """Step 6: copy the live data into a new DuckDB file and put it in place of the old one.

    DuckDB marks deleted rows' blocks free but leaves their bytes; only a fresh file holds none of them.
    """
    fresh = path.with_name(f".{path.name}.compact")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("CHECKPOINT")
        con.execute(f"ATTACH '{fresh}' AS compacted")
        catalog = con.execute("SELECT current_database()").fetchall()[0][0]
        con.execute(f'COPY FROM DATABASE "{catalog}" TO compacted')
        con.execute("DETACH compacted")
    finally:
        con.close()
    os.replace(fresh, path)
    for leftover in (path.with_name(path.name + ".wal"), fresh.with_name(fresh.name + ".wal")):
        leftover.unlink(missing_ok=True)


def build_receipt(batch: ErasureBatch, request: ErasureRequest, digest: str, now: datetime, verification) -> dict:
    """The receipt of one request (counts of the batch it was carried out in: one pass serves all)."""
    return {
        "request_id": request.request_id,
        "subject_hash": digest,
        "received_at": request.submitted_at,
        "completed_at": now,
        "people": len(request.customer_keys),
        "identifiers_suppressed": len(batch.identifiers[request.request_id]),
        "batch_requests": len(batch.requests),
        "rows_removed": dict(sorted(batch.table_rows.items())),
        "landing_records_removed": dict(sorted(batch.landing_records.items())),
        "files_rewritten": dict(sorted(batch.files_rewritten.items())),
        "destinations_notified": dict(sorted(batch.destinations.items())),
        "verification": {
            "files_searched": verification.files_searched,
            "tables_searched": verification.tables_searched,
            "passed": verification.passed,
            "found_in": verification.hits,
        },
    }
