"""Segment definitions in the warehouse: the columns rules may use, and the checked definitions table."""

from __future__ import annotations

from datetime import datetime

import duckdb

from ..warehouse import transaction
from .definitions import Segment

RULE_COLUMNS_RELATION = ("intermediate", "int_segment_profiles")


def rule_columns(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """column -> SQL type of the relation segment rules are evaluated over."""
    schema, table = RULE_COLUMNS_RELATION
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    if not rows:
        raise LookupError(f"{schema}.{table} does not exist yet: build the profiles first")
    return dict(rows)


def consent_purposes(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {purpose for (purpose,) in con.execute("SELECT DISTINCT purpose FROM config.consent_purposes").fetchall()}


def write_definitions(con: duckdb.DuckDBPyConnection, segments: list[Segment], loaded_at: datetime) -> None:
    """Replace segments.segment_definitions with ``segments`` in one transaction."""
    con.execute("CREATE SCHEMA IF NOT EXISTS segments")
    with transaction(con):
        con.execute("""
            CREATE OR REPLACE TABLE segments.segment_definitions (
                segment_name VARCHAR PRIMARY KEY,
                description VARCHAR NOT NULL,
                owner VARCHAR NOT NULL,
                maturity VARCHAR NOT NULL,
                rule VARCHAR NOT NULL,
                rule_sql VARCHAR NOT NULL,
                purpose VARCHAR NOT NULL,
                destinations VARCHAR[] NOT NULL,
                definition_version VARCHAR NOT NULL,
                defined_in VARCHAR NOT NULL,
                loaded_at TIMESTAMPTZ NOT NULL)""")
        if segments:
            con.executemany(
                "INSERT INTO segments.segment_definitions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        s.name,
                        s.description,
                        s.owner,
                        s.maturity,
                        s.rule,
                        s.rule_sql,
                        s.purpose,
                        list(s.destinations),
                        s.version,
                        s.path,
                        loaded_at,
                    )
                    for s in segments
                ],
            )
