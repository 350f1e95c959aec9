"""Per-file conservation in raw, on hand-made ledgers and tables."""

import duckdb
import pytest

from orchestration.lib.ingest.loader import LEDGER_DDL, QUARANTINE_DDL, ensure_tables
from orchestration.lib.ingest.reconcile import reconcile
from orchestration.lib.ingest.sources import CONTRACTS

CONTRACT = CONTRACTS["events"]


def warehouse(lines: list[int | None]) -> duckdb.DuckDBPyConnection:
    """One landing file of three records, loaded as ``lines`` (its rows' line numbers)."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute(LEDGER_DDL)
    con.execute(QUARANTINE_DDL)
    con.execute(f"CREATE TABLE {CONTRACT.table} (_file VARCHAR, _line INTEGER)")
    con.execute(
        "INSERT INTO raw.loaded_files (source, path, sha256, size_bytes, modified_ns, status, rows_read, rows_loaded, "
        "rows_quarantined, loaded_at) VALUES ('events', 'events/a.jsonl', 'x', 1, 1, 'loaded', 3, 3, 0, now())"
    )
    con.executemany(f"INSERT INTO {CONTRACT.table} VALUES ('events/a.jsonl', ?)", [[line] for line in lines])
    return con


def test_a_file_whose_rows_all_arrived_reconciles():
    assert reconcile(warehouse([1, 2, 3]), CONTRACT) == (1, [])


def test_raw_tables_refuse_rows_without_their_file_and_line():
    """Lineage is the raw table's own constraint (what the dbt source tests on _file/_line used to test)."""
    con = duckdb.connect()
    ensure_tables(con, CONTRACT)
    for file, line in (("events/a.jsonl", None), (None, 1)):
        with pytest.raises(duckdb.ConstraintException):
            con.execute(f"INSERT INTO {CONTRACT.table} (_file, _line, _loaded_at) VALUES (?, ?, now())", [file, line])


def test_rows_without_a_file_are_reported():
    con = warehouse([1, 2, 3])
    con.execute(f"INSERT INTO {CONTRACT.table} VALUES (NULL, 4)")
    assert [m.problem for m in reconcile(con, CONTRACT)[1]] == [
        "rows in the table come from a file missing from the ledger"
    ]
