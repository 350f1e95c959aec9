"""Erasure receipts: what was done for each request, provable without holding anything about the person.

A receipt is one JSON document under ``$KIZUNA_HOME/privacy/receipts/`` and one row of
``privacy.erasure_receipts``. It holds the request id, the subject as a salted hash, when the request was
received and completed, rows removed per table, landing records removed per source, files rewritten,
destinations notified, and the verification: how many files and tables were searched and where (never
what) anything was found. A request is recorded as ``started`` before anything is removed, so one that
was interrupted stays visible to the deadline check instead of vanishing with its own request line.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from ..atomic import write_atomic
from ..warehouse import table_exists
from .documents import request_document

RECEIPTS_DDL = """
CREATE TABLE IF NOT EXISTS privacy.erasure_receipts (
    request_id VARCHAR PRIMARY KEY,
    subject_hash VARCHAR NOT NULL,
    received_at TIMESTAMPTZ,
    started_at TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,          -- started | completed | verification_failed
    receipt_json VARCHAR
)"""


def ensure_receipts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS privacy")
    con.execute(RECEIPTS_DDL)


def receipts_exist(con: duckdb.DuckDBPyConnection) -> bool:
    return table_exists(con, "privacy", "erasure_receipts")


def record_started(
    con: duckdb.DuckDBPyConnection, request_id: str, subject_hash: str, received_at, at: datetime
) -> None:
    con.execute(
        """INSERT INTO privacy.erasure_receipts VALUES (?, ?, ?, ?, NULL, 'started', NULL)
           ON CONFLICT (request_id) DO UPDATE SET started_at = excluded.started_at, status = 'started'""",
        [request_id, subject_hash, received_at, at],
    )


def record_completed(con: duckdb.DuckDBPyConnection, folder: Path, receipt: dict) -> None:
    write_atomic(
        request_document(folder, receipt["request_id"]),
        (json.dumps(receipt, indent=2, default=str, sort_keys=True) + "\n").encode("utf-8"),
    )
    con.execute(
        "UPDATE privacy.erasure_receipts SET completed_at = ?, status = ?, receipt_json = ? WHERE request_id = ?",
        [
            receipt["completed_at"],
            "completed" if receipt["verification"]["passed"] else "verification_failed",
            json.dumps(receipt, default=str, sort_keys=True),
            receipt["request_id"],
        ],
    )


def handled_requests(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Requests with a completed receipt (a started one is tried again while its request line exists)."""
    if not receipts_exist(con):
        return set()
    rows = con.execute("SELECT request_id FROM privacy.erasure_receipts WHERE status <> 'started'").fetchall()
    return {request_id for (request_id,) in rows}


def overdue(con: duckdb.DuckDBPyConnection, now: datetime, deadline_days: int) -> list[tuple[str, str]]:
    """Erasure requests in trouble: (request id, why). Past the deadline and not carried out; interrupted
    after the request's own line was removed (nothing would retry it); or verified with leftovers."""
    cutoff = now - timedelta(days=deadline_days)
    done = handled_requests(con)
    pending = dict(
        con.execute(
            """SELECT subject_request_id, any_value(submitted_at) FROM intermediate.int_privacy_request_subjects
               WHERE request_type = 'erasure' GROUP BY 1"""
        ).fetchall()
    )
    late = [
        (rid, f"not carried out within {deadline_days} days")
        for rid, submitted in sorted(pending.items())
        if rid not in done and submitted is not None and submitted < cutoff
    ]
    if receipts_exist(con):
        for rid, status in con.execute(
            "SELECT request_id, status FROM privacy.erasure_receipts WHERE status <> 'completed' ORDER BY 1"
        ).fetchall():
            if status == "verification_failed":
                late.append((rid, "verification found leftovers"))
            elif rid not in pending:
                late.append((rid, "interrupted after its request line was removed"))
    return late
