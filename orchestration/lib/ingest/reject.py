"""Take a loaded file back out: its rows move from raw to the quarantine, with the operator's reason.

For a file that should never have been loaded, such as a vendor's broken export that a blocking gate
stopped. The raw gates judge everything loaded since they last passed, so such a gate stays failed until
the file is out. Nothing is lost:
- every row goes to ``raw.quarantine`` with its file, line and the reason; its loaded values are kept as
  JSON (the landing file keeps the original text);
- the ledger marks the file ``rejected`` and counts its rows as quarantined, so reconciliation still adds up;
- rows already staged from it are removed from the incrementally staged tables (the staging views follow
  raw by themselves; later layers are rebuilt every run).
The file stays in the ledger, so it is not loaded again: a corrected export comes as a new file.
Operators run it as the job ``reject_file_job`` (orchestration/defs/ingest/reject.py), from the UI or with
``kizuna reject``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from ..warehouse import lineage_tables, table_exists, transaction
from .sources import CONTRACTS

REASON_PREFIX = "rejected by operator: "


class RejectError(Exception):
    """The file cannot be rejected (unknown, not loaded, or already rejected)."""


@dataclass(frozen=True)
class Rejection:
    source: str
    path: str
    rows_quarantined: int
    staged_rows_removed: dict[str, int]  # staged table -> rows removed


def reject_file(con: duckdb.DuckDBPyConnection, path: str, reason: str, now: datetime) -> Rejection:
    """Reject the loaded landing file ``path`` (relative to the landing root, as the ledger names it)."""
    if not reason.strip():
        raise RejectError("say why the file is rejected (--reason): the quarantine keeps it for whoever looks next")
    if not table_exists(con, "raw", "loaded_files"):
        raise RejectError("nothing has been loaded yet: the ledger raw.loaded_files does not exist")
    rows = con.execute("SELECT source, status FROM raw.loaded_files WHERE path = ?", [path]).fetchall()
    loaded = [source for source, status in rows if status == "loaded"]
    if not loaded and rows:
        statuses = ", ".join(sorted({status for _, status in rows}))
        raise RejectError(f"{path}: not a loaded file (its ledger status: {statuses})")
    if not loaded:
        raise RejectError(f"{path}: not in the ledger (paths are relative to the landing root, as in raw._file)")
    (source,) = loaded
    contract = CONTRACTS[source]
    values = ", ".join(f"'{f.column}': {f.column}" for f in contract.fields)
    why = REASON_PREFIX + reason.strip()
    with transaction(con):
        con.execute(
            f"""INSERT INTO raw.quarantine
                SELECT $source, _file, _line, $why, to_json({{{values}}})::VARCHAR, $now
                FROM {contract.table} WHERE _file = $path""",
            {"source": source, "why": why, "now": now, "path": path},
        )
        (moved,) = con.execute(f"DELETE FROM {contract.table} WHERE _file = ?", [path]).fetchone()  # rows deleted
        con.execute(
            """UPDATE raw.loaded_files
               SET status = 'rejected', reason = $why,
                   rows_loaded = rows_loaded - $moved, rows_quarantined = rows_quarantined + $moved
               WHERE source = $source AND path = $path AND status = 'loaded'""",
            {"why": why, "moved": moved, "source": source, "path": path},
        )
        removed = {}
        for table in lineage_tables(con):
            (count,) = con.execute(f"DELETE FROM {table} WHERE source_file = ?", [path]).fetchone()
            if count:
                removed[table] = count
    return Rejection(source, path, moved, removed)
