"""The activation report: which profile attributes are used, by which segments and destinations, and when.

An attribute is used by a segment whose rule names it, and by a destination whose export carries it (its
fields) or whose segments' rules name it. It was last used when such an export last ran. Declared
(zero-party) attributes nobody used for ``unused_days`` are purge candidates: collect only what is used.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import sqlglot
from sqlglot import exp

from ..exports.destinations import Destination
from ..exports.run import has_state


@dataclass(frozen=True)
class Activation:
    attribute: str
    is_declared: bool
    segments: tuple[str, ...]
    destinations: tuple[str, ...]
    last_used_at: datetime | None
    is_purge_candidate: bool


def columns_named_in(rule_sql: str, dialect: str = "duckdb") -> set[str]:
    return {column.name for column in sqlglot.parse_one(rule_sql, read=dialect).find_all(exp.Column)}


def activation_report(
    con: duckdb.DuckDBPyConnection,
    columns: list[str],
    destinations: dict[str, Destination],
    now: datetime,
    unused_days: int,
    derived: dict[str, set[str]] | None = None,
    dialect: str = "duckdb",
) -> list[Activation]:
    """One row per column; a column ``derived`` from others passes its uses on to them."""
    definitions = con.execute(
        "SELECT segment_name, rule_sql, destinations FROM segments.segment_definitions ORDER BY 1"
    ).fetchall()
    last_export: dict[tuple[str, str], datetime] = {}
    if has_state(con):
        for destination, segment, at in con.execute(
            "SELECT destination, segment_name, max(generated_at) FROM exports.export_log "
            "WHERE status IN ('exported', 'held') GROUP BY 1, 2"
        ).fetchall():
            last_export[(destination, segment)] = at

    segments_of: dict[str, set[str]] = defaultdict(set)
    destinations_of: dict[str, set[str]] = defaultdict(set)
    used_at: dict[str, list[datetime]] = defaultdict(list)
    for segment, rule_sql, routed in definitions:
        for column in columns_named_in(rule_sql, dialect):
            segments_of[column].add(segment)
            for destination in routed:
                destinations_of[column].add(destination)
                if (destination, segment) in last_export:
                    used_at[column].append(last_export[(destination, segment)])
    for destination in destinations.values():
        for column in destination.fields:
            destinations_of[column].add(destination.name)
            used_at[column] += [at for (name, _), at in last_export.items() if name == destination.name]

    for column, sources in (derived or {}).items():
        for source in sources:
            segments_of[source] |= segments_of[column]
            destinations_of[source] |= destinations_of[column]
            used_at[source] += used_at[column]

    cutoff = now - timedelta(days=unused_days)
    report = []
    for column in columns:
        if column == "customer_key":
            continue
        last = max(used_at[column], default=None)
        declared = column.startswith("declared_")
        report.append(
            Activation(
                attribute=column,
                is_declared=declared,
                segments=tuple(sorted(segments_of[column])),
                destinations=tuple(sorted(destinations_of[column])),
                last_used_at=last,
                is_purge_candidate=declared and (last is None or last < cutoff),
            )
        )
    return report


def write_report(con: duckdb.DuckDBPyConnection, report: list[Activation], generated_at: datetime) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS privacy")
    con.execute("""
        CREATE OR REPLACE TABLE privacy.attribute_activation (
            attribute VARCHAR PRIMARY KEY, is_declared BOOLEAN NOT NULL, segments VARCHAR[] NOT NULL,
            destinations VARCHAR[] NOT NULL, last_used_at TIMESTAMPTZ, is_purge_candidate BOOLEAN NOT NULL,
            generated_at TIMESTAMPTZ NOT NULL)""")
    if report:
        con.executemany(
            "INSERT INTO privacy.attribute_activation VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    a.attribute,
                    a.is_declared,
                    list(a.segments),
                    list(a.destinations),
                    a.last_used_at,
                    a.is_purge_candidate,
                    generated_at,
                )
                for a in report
            ],
        )
