"""Per-file conservation: rows read = rows loaded + rows quarantined, and the tables agree."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .contracts import Contract


@dataclass(frozen=True)
class Mismatch:
    path: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_in_table: int
    rows_in_quarantine: int
    problem: str


def reconcile(con: duckdb.DuckDBPyConnection, contract: Contract) -> tuple[int, list[Mismatch]]:
    """Check every ledger file of a source against ``raw.<source>`` and ``raw.quarantine``.

    Returns the number of files checked and the files that do not add up
    (including rows in the table that no ledger entry accounts for).
    """
    rows = con.execute(
        f"""
        WITH ledger AS (
            SELECT path, sum(rows_read) AS rows_read, sum(rows_loaded) AS rows_loaded,
                   sum(rows_quarantined) AS rows_quarantined,
                   bool_or(status = 'quarantined') AS whole_file_quarantined
            FROM raw.loaded_files WHERE source = $source GROUP BY path
        ),
        in_table AS (SELECT _file AS path, count(*) AS n FROM {contract.table} GROUP BY 1),
        in_quarantine AS (
            SELECT file AS path, count(*) FILTER (WHERE line IS NOT NULL) AS n,
                   count(*) FILTER (WHERE line IS NULL) AS whole
            FROM raw.quarantine WHERE source = $source GROUP BY 1
        )
        SELECT coalesce(l.path, t.path) AS path,
               coalesce(l.rows_read, 0), coalesce(l.rows_loaded, 0), coalesce(l.rows_quarantined, 0),
               coalesce(t.n, 0), coalesce(q.n, 0),
               CASE
                   WHEN l.path IS NULL THEN 'rows in the table come from a file missing from the ledger'
                   WHEN l.rows_read <> l.rows_loaded + l.rows_quarantined THEN 'read <> loaded + quarantined'
                   WHEN l.rows_loaded <> coalesce(t.n, 0) THEN 'table rows differ from rows loaded'
                   WHEN l.rows_quarantined <> coalesce(q.n, 0) THEN 'quarantine rows differ from rows quarantined'
                   WHEN l.whole_file_quarantined AND coalesce(q.whole, 0) = 0
                       THEN 'file marked quarantined but not in quarantine'
               END AS problem,
               l.path IS NOT NULL AS in_ledger
        FROM ledger l FULL OUTER JOIN in_table t ON t.path = l.path
        LEFT JOIN in_quarantine q ON q.path = coalesce(l.path, t.path)
        ORDER BY 1
    """,
        {"source": contract.source},
    ).fetchall()
    mismatches = [Mismatch(*row[:7]) for row in rows if row[6] is not None]
    return sum(1 for row in rows if row[7]), mismatches
