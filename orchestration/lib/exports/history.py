"""How segment sizes moved over a destination's recent exports (from exports.export_log)."""

from __future__ import annotations

import duckdb

RECENT_EXPORTS = 6


def size_history_markdown(con: duckdb.DuckDBPyConnection, destination: str) -> str:
    """A table: one row per segment, one column per recent export (oldest first), held exports marked."""
    rows = con.execute(
        """
        WITH recent AS (
            SELECT DISTINCT export_id FROM exports.export_log WHERE destination = ?
            ORDER BY export_id DESC LIMIT ?
        )
        SELECT log.export_id, log.segment_name, log.rows_full, log.status
        FROM exports.export_log AS log
        INNER JOIN recent USING (export_id)
        WHERE log.destination = ?
        ORDER BY log.export_id, log.segment_name
        """,
        [destination, RECENT_EXPORTS, destination],
    ).fetchall()
    exports = sorted({export_id for export_id, *_ in rows})
    sizes: dict[str, dict[str, str]] = {}
    for export_id, segment, size, status in rows:
        sizes.setdefault(segment, {})[export_id] = f"{size}" + (" (held)" if status == "held" else "")
    header = "| segment | " + " | ".join(exports) + " |\n|---|" + "---|" * len(exports) + "\n"
    body = "\n".join(
        f"| {segment} | " + " | ".join(by_export.get(e, "") for e in exports) + " |"
        for segment, by_export in sorted(sizes.items())
    )
    return header + body
