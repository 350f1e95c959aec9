"""The plain-text summary `kizuna run` prints: where the results are, and what they hold."""

from __future__ import annotations

from datetime import datetime

from orchestration.lib import warehouse
from orchestration.lib.exports.run import has_state
from orchestration.lib.settings import Settings


def summarize(settings: Settings, elapsed_seconds: float, run_started_at: datetime) -> str:
    lines = [
        f"Kizuna run finished in {elapsed_seconds:.1f} s.",
        f"  KIZUNA_HOME  {settings.home}",
        f"  landing      {settings.landing}",
        f"  warehouse    {settings.warehouse}",
        f"  exports      {settings.exports}",
        "",
    ]
    if not settings.warehouse.exists():
        return "\n".join(lines + ["  (no warehouse was written)"])
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        tables = con.execute("""
            SELECT table_schema, table_name FROM information_schema.tables
            WHERE table_schema = 'raw' ORDER BY 1, 2""").fetchall()
        lines.append("  raw tables (rows):")
        for schema, table in tables:
            count = warehouse.scalar(con, f'SELECT count(*) FROM "{schema}"."{table}"')
            lines.append(f"    {schema}.{table:<22} {count:>12,}")
        files = con.execute("""
            SELECT count(*), count(*) FILTER (WHERE status = 'quarantined'), coalesce(sum(rows_read), 0),
                   coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0),
                   count(*) FILTER (WHERE status = 'rejected')
            FROM raw.loaded_files""").fetchone()
        new = con.execute(
            """SELECT count(*), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0)
               FROM raw.loaded_files WHERE loaded_at >= ?""",
            [run_started_at],
        ).fetchone()
        lines.append(f"  this run: {new[0]:,} new file(s), {new[1]:,} rows loaded, {new[2]:,} quarantined")
        lines.append(
            f"  all runs: {files[0]:,} file(s) ({files[1]:,} quarantined whole"
            + (f", {files[5]:,} rejected" if files[5] else "")
            + f"); rows read {files[2]:,} = "
            f"loaded {files[3]:,} + quarantined {files[4]:,}"
        )
        reasons = con.execute(
            """SELECT reason, count(*) FROM raw.quarantine GROUP BY 1 ORDER BY 2 DESC LIMIT 8"""
        ).fetchall()
        if reasons:
            lines.append("  quarantine by reason:")
            lines += [f"    {count:>8,}  {reason}" for reason, count in reasons]
        models = con.execute("""
            SELECT table_schema, count(*) FROM information_schema.tables
            WHERE table_schema NOT IN ('raw', 'information_schema', 'pg_catalog') GROUP BY 1 ORDER BY 1""").fetchall()
        lines.append("  dbt relations: " + ", ".join(f"{schema} ({n})" for schema, n in models))
        lines += _exports(con, run_started_at)
    lines.append("\nBrowse it all in the Dagster UI: make ui")
    return "\n".join(lines)


def _exports(con, run_started_at: datetime) -> list[str]:
    """Per destination: what this run sent (rows, added, removed) and what it held for review."""
    if not has_state(con):
        return []
    rows = con.execute(
        """SELECT destination, count(*), sum(rows_full), sum(rows_added), sum(rows_removed),
                  count(*) FILTER (WHERE status = 'held')
           FROM exports.export_log WHERE generated_at >= ? GROUP BY 1 ORDER BY 1""",
        [run_started_at],
    ).fetchall()
    lines = ["  exports this run (segments, rows; added / removed since the last export):"]
    lines += [
        f"    {name:<28} {segments:>3} segment(s) {full:>9,} rows  +{added:,} / -{removed:,}"
        + (f"  HELD FOR REVIEW: {held}" if held else "")
        for name, segments, full, added, removed, held in rows
    ]
    held = con.execute(
        "SELECT message FROM exports.export_log WHERE generated_at >= ? AND status = 'held' ORDER BY 1",
        [run_started_at],
    ).fetchall()
    lines += [f"    ! {message}" for (message,) in held]
    return lines
