"""One destination's export: the consented audience of each routed segment, compared with the last export.

Only people with a current grant for the destination's purpose and channel, and for the segment's own
purpose, are exported; people the vendor cannot match (no identifying value) are counted and left out.
The last successful export of every segment is kept in ``exports.exported_rows`` so that the next one can
send a delta; ``exports.export_log`` keeps every attempt, held ones included.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from ..warehouse import table_exists, transaction
from .destinations import Destination
from .files import compute_delta, membership_churn, publish, read_full, segment_folder
from .formats import Row

STATE_DDL = """
CREATE SCHEMA IF NOT EXISTS exports;
CREATE TABLE IF NOT EXISTS exports.exported_rows (
    destination VARCHAR NOT NULL,
    segment_name VARCHAR NOT NULL,
    customer_key VARCHAR NOT NULL,
    row_json VARCHAR NOT NULL,          -- the vendor row as last sent (needed to send its removal)
    export_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS exports.export_log (
    export_id VARCHAR NOT NULL,
    destination VARCHAR NOT NULL,
    segment_name VARCHAR NOT NULL,
    definition_version VARCHAR,
    status VARCHAR NOT NULL,            -- exported | held | retired
    rows_full BIGINT NOT NULL,
    rows_added BIGINT NOT NULL,
    rows_removed BIGINT NOT NULL,
    rows_unreachable BIGINT NOT NULL,
    churn_share DOUBLE,
    generated_at TIMESTAMPTZ NOT NULL,
    message VARCHAR
);
"""


@dataclass
class SegmentOutcome:
    segment: str
    status: str  # exported | held | retired
    rows: int
    added: int
    removed: int
    unreachable: int
    churn_share: float
    message: str = ""


@dataclass
class ExportReport:
    destination: str
    export_id: str
    outcomes: list[SegmentOutcome] = field(default_factory=list)

    @property
    def held(self) -> list[SegmentOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "held"]


def ensure_state(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(STATE_DDL)


def has_state(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any export has run yet (the state tables exist)."""
    return table_exists(con, "exports", "export_log")


def keys_sent(con: duckdb.DuckDBPyConnection, keys: set[str]) -> dict[str, set[str]]:
    """Destination -> those of ``keys`` in its last export state."""
    if not has_state(con):
        return {}
    rows = con.execute(
        "SELECT destination, list(DISTINCT customer_key) FROM exports.exported_rows "
        "WHERE customer_key IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
        [sorted(keys)],
    ).fetchall()
    return {destination: set(found) for destination, found in rows}


def routed_segments(con: duckdb.DuckDBPyConnection, destination: str) -> dict[str, tuple[str, str]]:
    """segment -> (purpose, definition version) for every segment routed to ``destination``."""
    rows = con.execute(
        "SELECT segment_name, purpose, definition_version FROM segments.segment_definitions "
        "WHERE list_contains(destinations, ?) ORDER BY segment_name",
        [destination],
    ).fetchall()
    return {name: (purpose, version) for name, purpose, version in rows}


def granted_people(
    con: duckdb.DuckDBPyConnection, destination: Destination, segment_purpose: str
) -> dict[str, dict[str, str | None]]:
    """customer_key -> allowed field values, for everyone with both grants the export needs."""
    columns = ", ".join(f"profiles.{name}" for name in destination.fields)  # validated against the format
    rows = con.execute(
        f"""
        SELECT profiles.customer_key, {columns}
        FROM marts.customer_profiles AS profiles
        WHERE profiles.customer_key IN (
            SELECT customer_key FROM marts.customer_consents
            WHERE purpose = ? AND channel = ? AND is_granted)
          AND profiles.customer_key IN (
            SELECT customer_key FROM marts.customer_consents WHERE purpose = ? AND is_granted)
        """,
        [destination.purpose, destination.channel, segment_purpose],
    ).fetchall()
    return {key: dict(zip(destination.fields, values, strict=True)) for key, *values in rows}


def current_members(con: duckdb.DuckDBPyConnection, segment: str) -> set[str]:
    rows = con.execute(
        "SELECT customer_key FROM marts.segment_memberships WHERE segment_name = ? AND exited_at IS NULL",
        [segment],
    ).fetchall()
    return {key for (key,) in rows}


def last_export(con: duckdb.DuckDBPyConnection, destination: str, segment: str) -> tuple[bool, dict[str, Row]]:
    """(whether the segment was ever exported there, its rows as last exported)."""
    exported = con.execute(
        "SELECT count(*) FROM exports.export_log WHERE destination = ? AND segment_name = ? AND status = 'exported'",
        [destination, segment],
    ).fetchall()[0][0]
    rows = con.execute(
        "SELECT customer_key, row_json FROM exports.exported_rows WHERE destination = ? AND segment_name = ?",
        [destination, segment],
    ).fetchall()
    return bool(exported), {key: tuple(json.loads(row)) for key, row in rows}


def withdrawn_people(con: duckdb.DuckDBPyConnection, destination: Destination, segment_purpose: str | None) -> set[str]:
    """People whose latest decision for the destination's purpose and channel, or the segment's purpose, is
    not a grant: they withdrew (as opposed to people who never granted, or whose key is gone)."""
    rows = con.execute(
        """
        SELECT DISTINCT customer_key FROM marts.customer_consents
        WHERE NOT is_granted AND ((purpose = ? AND channel = ?) OR purpose = ?)
        """,
        [destination.purpose, destination.channel, segment_purpose or destination.purpose],
    ).fetchall()
    return {key for (key,) in rows}


def export_destination(
    con: duckdb.DuckDBPyConnection,
    exports_root: Path,
    destination: Destination,
    generated_at: datetime,
    approved: frozenset[str] = frozenset(),
) -> ExportReport:
    """Export every segment routed to ``destination`` (and empty out segments no longer routed there).

    Files are published before the state that remembers them is committed: a crash in between makes the next
    run send the same changes again, which vendors apply idempotently; nothing is ever skipped.
    """
    ensure_state(con)
    export_id = generated_at.strftime("%Y%m%dT%H%M%S%fZ")
    report = ExportReport(destination.name, export_id)
    routed = routed_segments(con, destination.name)
    previously = {
        name
        for (name,) in con.execute(
            "SELECT DISTINCT segment_name FROM exports.exported_rows WHERE destination = ?", [destination.name]
        ).fetchall()
    }
    file_format = destination.file_format
    for segment in sorted(set(routed) | previously):
        purpose, version = routed.get(segment, (None, None))
        rows: dict[str, Row] = {}
        unreachable = 0
        people = granted_people(con, destination, purpose) if purpose is not None else {}
        for key in current_members(con, segment) & people.keys():
            row = file_format.row(destination.fields, people[key])
            if file_format.is_reachable(destination.fields, row):
                rows[key] = row
            else:
                unreachable += 1
        ever_exported, previous = last_export(con, destination.name, segment)
        lost = {key for key in previous if key not in people}  # no grant now, or the key is gone
        withdrawn = withdrawn_people(con, destination, purpose) & previous.keys()
        share = membership_churn(previous, rows, lost)
        held = (
            purpose is not None
            and ever_exported
            and len(previous) >= destination.churn_min_rows
            and share > destination.max_churn_share
            and segment not in approved
        )
        if held:
            # membership moves wait for review; people who lost their grant leave now all the same
            rows = {key: row for key, row in previous.items() if key not in lost}
        delta = compute_delta(previous, rows, withdrawn)
        outcome = SegmentOutcome(
            segment,
            "held" if held else ("exported" if purpose is not None else "retired"),
            len(rows),
            len(delta.added),
            len(delta.removed),
            unreachable,
            share,
        )
        if held:
            outcome.message = (
                f"{destination.name}/{segment}: held for review: membership moved by {share:.0%} "
                f"(last export {len(previous)} rows), more than the {destination.max_churn_share:.0%} allowed; "
                f"the last export stays in place, less {len(delta.removed)} person(s) who lost their grant. "
                f"To send it anyway, materialize exports/{destination.name} with config approve_churn: [{segment}]"
            )
        if not held or delta.changes:
            manifest = {
                "export_id": export_id,
                "destination": destination.name,
                "segment": segment,
                "segment_definition_version": version,
                "segment_purpose": purpose,
                "purpose": destination.purpose,
                "channel": destination.channel,
                "fields": list(destination.fields),
                "format": destination.format,
                "generated_at": generated_at.isoformat(),
                "rows_unreachable": unreachable,
                "held_for_review": held,
            }
            folder = segment_folder(exports_root, destination.name, segment)
            publish(folder, file_format, destination.fields, rows, delta, manifest)
        with transaction(con):
            if not held or delta.changes:
                _remember(con, destination.name, segment, export_id, rows)
            _log(con, report.export_id, destination.name, version, outcome, generated_at)
        report.outcomes.append(outcome)
    return report


def _remember(con: duckdb.DuckDBPyConnection, destination: str, segment: str, export_id: str, rows) -> None:
    con.execute("DELETE FROM exports.exported_rows WHERE destination = ? AND segment_name = ?", [destination, segment])
    if rows:
        con.executemany(
            "INSERT INTO exports.exported_rows VALUES (?, ?, ?, ?, ?)",
            [(destination, segment, key, json.dumps(list(row)), export_id) for key, row in sorted(rows.items())],
        )


def _log(con, export_id: str, destination: str, version, outcome: SegmentOutcome, generated_at: datetime) -> None:
    con.execute(
        "INSERT INTO exports.export_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            export_id,
            destination,
            outcome.segment,
            version,
            outcome.status,
            outcome.rows,
            outcome.added,
            outcome.removed,
            outcome.unreachable,
            outcome.churn_share,
            generated_at,
            outcome.message or None,
        ],
    )


def verify_destination(con: duckdb.DuckDBPyConnection, exports_root: Path, destination: Destination) -> list[str]:
    """Re-read every published full file and check each row against consent; the problems found.

    Independent of how the export chose its rows: a row passes only if it is exactly the row of someone who
    holds both grants now. Checksums and row counts are checked against the manifest.
    """
    problems: list[str] = []
    file_format = destination.file_format
    folder = exports_root / destination.name
    if not folder.exists():
        return problems
    purposes = dict(con.execute("SELECT segment_name, purpose FROM segments.segment_definitions").fetchall())
    for manifest_path in sorted(folder.glob("*/manifest.json")):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        segment = manifest["segment"]
        full = manifest_path.parent / manifest["files"]["full"]["path"]
        data = full.read_bytes()
        if hashlib.sha256(data).hexdigest() != manifest["files"]["full"]["sha256"]:
            problems.append(f"{full}: checksum differs from its manifest")
        rows = read_full(full, file_format)
        if len(rows) != manifest["files"]["full"]["rows"]:
            problems.append(f"{full}: {len(rows)} rows, manifest says {manifest['files']['full']['rows']}")
        if not rows:
            continue
        purpose = purposes.get(segment)
        allowed = (
            {
                file_format.row(destination.fields, values)
                for values in granted_people(con, destination, purpose).values()
            }
            if purpose
            else set()
        )
        violations = [
            index for index, row in enumerate(rows, start=2 if file_format.has_header else 1) if row not in allowed
        ]
        if violations:
            problems.append(
                f"{full}: {len(violations)} row(s) without a current grant for {destination.purpose}/"
                f"{destination.channel} and {purpose} (lines {', '.join(map(str, violations[:10]))})"
            )
    return problems


def held_segments(con: duckdb.DuckDBPyConnection, destination: str) -> list[str]:
    """The messages of segments held back in the destination's latest export."""
    if not has_state(con):
        return []
    rows = con.execute(
        """
        SELECT message FROM exports.export_log
        WHERE destination = ? AND status = 'held'
          AND export_id = (SELECT max(export_id) FROM exports.export_log WHERE destination = ?)
        ORDER BY segment_name
        """,
        [destination, destination],
    ).fetchall()
    return [message for (message,) in rows]
