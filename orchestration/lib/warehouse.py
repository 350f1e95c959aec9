"""Opening the embedded DuckDB warehouse.

DuckDB allows one writing process per file; dbt and Dagster steps take turns.
Opening retries for a while on a lock conflict instead of failing a run that
merely started while another step was finishing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

LOCK_RETRY_SECONDS = 120.0
_CHECKPOINT_LOGGED = re.compile(r"\(CHECKPOINT\) in ([0-9.]+) s, then closed it in ([0-9.]+) s")


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + LOCK_RETRY_SECONDS
    delay = 0.1
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
    con.execute("SET TimeZone = 'UTC'")
    return con


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    con = _open(path, read_only)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a crash halfway leaves nothing that the next run would trust."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether ``schema.table`` exists (state tables are created by the first run that writes them)."""
    return (
        scalar(
            con,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, table],
        )
        == 1
    )


def text_columns(con: duckdb.DuckDBPyConnection, types: tuple[str, ...]) -> dict[tuple[str, str], list[str]]:
    """(schema, table) -> its columns of the given types, for every base table, in table and column order."""
    columns: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in con.execute(
        """SELECT c.table_schema, c.table_name, c.column_name
           FROM information_schema.columns c
           JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
           WHERE t.table_type = 'BASE TABLE' AND c.data_type IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY 1, 2, c.ordinal_position""",
        [list(types)],
    ).fetchall():
        columns.setdefault((schema, table), []).append(column)
    return columns


def lineage_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The staged tables that keep each row's landing record (source_file, and source_line as a number): the
    incrementally staged sources, which no build recomputes from raw. Later layers are rebuilt every run."""
    rows = con.execute(
        """SELECT c.table_schema || '.' || c.table_name
           FROM information_schema.columns c
           JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
           WHERE t.table_type = 'BASE TABLE' AND c.table_catalog = current_database()
             AND c.table_schema = 'staging'
             AND ((c.column_name = 'source_file' AND c.data_type = 'VARCHAR')
                  OR (c.column_name = 'source_line' AND c.data_type IN ('INTEGER', 'BIGINT')))
           GROUP BY 1 HAVING count(*) = 2 ORDER BY 1"""
    ).fetchall()
    return [name for (name,) in rows]


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params=None):
    """The single value of a query, fetched completely (DuckDB 2 refuses new work while a result is pending)."""
    rows = con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()
    return rows[0][0]


def checkpoint_message(checkpoint_seconds: float, close_seconds: float) -> str:
    """What a dbt step logs once it has let the warehouse go (orchestration/defs/transform/in_process.py)."""
    return (
        f"DuckDB wrote the dbt command's changes to the warehouse file (CHECKPOINT) in {checkpoint_seconds:.3f} s, "
        f"then closed it in {close_seconds:.3f} s"
    )


def logged_checkpoint(message: str) -> tuple[float, float] | None:
    """The seconds of checkpoint and close a ``checkpoint_message`` reports; None for any other message."""
    found = _CHECKPOINT_LOGGED.search(message)
    return (float(found[1]), float(found[2])) if found else None
