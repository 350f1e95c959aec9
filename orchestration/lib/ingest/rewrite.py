"""Taking records out of landing files that were already loaded, without breaking lineage.

Erasure and retention remove whole records from a landing file and leave every other byte as it was. The
warehouse must then agree with the file: the records' rows leave ``raw.<source>`` and ``raw.quarantine``,
the rows after them move up (``_line`` is the record's line in the file as it now is; the incrementally
staged tables, which keep it as ``source_line``, follow), and the ledger
takes the new checksum, size and modification time, so the loader sees the file as already loaded.

Order, for crash safety: the new file is written under a hidden name first, then the warehouse changes
commit in one transaction, then the file is renamed into place. A crash before the commit leaves the old
file and the old rows; a crash after it leaves the old file with the new ledger entry, which the next
ingestion heals by scrubbing it again (erasure) before comparing checksums.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..atomic import write_synced
from ..landing import sha256_bytes
from ..warehouse import lineage_tables, transaction
from .contracts import Contract
from .framing import UTF8_BOM, csv_record_spans, decompress

_LINE = re.compile(rb"[^\n]*\n|[^\n]+$")


@dataclass(frozen=True)
class Span:
    start: int  # first physical line of a record, 1-based
    lines: int  # physical lines it takes


@dataclass(frozen=True)
class FileRewrite:
    data: bytes  # the file's new bytes (compressed again if the file is)
    removed: list[Span]
    original_sha256: str  # of the bytes it was made from: the ledger entry it replaces


@dataclass
class RewriteCounts:
    files: int = 0
    records: int = 0
    raw_rows: int = 0
    quarantine_rows: int = 0
    removed: dict[str, list[Span]] = field(default_factory=dict)  # file -> record spans taken out of it


def _decode(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return line.decode("cp932")
        except UnicodeDecodeError:
            return line.decode("latin-1")


def drop_records(
    name: str, data: bytes, file_format: str, drop: Callable[[int, str], bool], group: str | None = None
) -> FileRewrite | None:
    """The file without the records ``drop(first_line, text)`` picks, every other byte kept; None if none is.

    Records are numbered as the loader numbers them (blank lines carry none; a CSV header is never dropped).
    ``group`` names a CSV column: a picked record takes every record with the same value in it along.
    """
    content = decompress(name, data)
    body = content.removeprefix(UTF8_BOM)
    physical = _LINE.findall(body)  # each line with its own terminator: joining them gives the file back
    spans: list[tuple[int, int]] = []
    if file_format == "csv":
        try:
            spans = csv_record_spans(body.decode("utf-8"))[1:]
        except UnicodeDecodeError:
            file_format = "lines"  # a file quarantined whole: nothing was loaded from it, match line by line
    if file_format != "csv":
        spans = [(i + 1, 1) for i, line in enumerate(physical) if line.strip()]
    texts = [_decode(b"".join(physical[start - 1 : start - 1 + count])).rstrip("\r\n") for start, count in spans]
    picked = [drop(start, text) for (start, _), text in zip(spans, texts, strict=True)]
    if group and file_format == "csv" and any(picked):
        keys = _group_keys(body, texts, group)
        taken = {key for key, chosen in zip(keys, picked, strict=True) if chosen and key}
        picked = [chosen or key in taken for key, chosen in zip(keys, picked, strict=True)]
    removed = [Span(start, count) for (start, count), chosen in zip(spans, picked, strict=True) if chosen]
    if not removed:
        return None
    gone = {line for span in removed for line in range(span.start - 1, span.start - 1 + span.lines)}
    kept = b"".join(line for i, line in enumerate(physical) if i not in gone)
    new = content[: len(content) - len(body)] + kept
    if name.endswith(".gz"):
        new = gzip.compress(new, mtime=0)
    return FileRewrite(new, removed, sha256_bytes(data))


def _group_keys(body: bytes, texts: list[str], column: str) -> list[str | None]:
    header = [h.strip() for h in next(csv.reader(io.StringIO(body.decode("utf-8"))), [])]
    position = header.index(column) if column in header else None
    keys: list[str | None] = []
    for text in texts:
        row = next(csv.reader(io.StringIO(text)), []) if position is not None else []
        keys.append(row[position].strip() if position is not None and len(row) > position else None)
    return keys


def apply_rewrites(
    con: duckdb.DuckDBPyConnection, landing: Path, contract: Contract, rewrites: dict[str, FileRewrite]
) -> RewriteCounts:
    """Put rewritten landing files (by path relative to ``landing``) in place and make the warehouse agree
    with them (see the module doc)."""
    counts = RewriteCounts()
    if not rewrites:
        return counts
    staged: list[tuple[Path, Path]] = []
    try:
        spans, ledger = [], []
        for relpath, rewrite in rewrites.items():
            final = landing / relpath
            temporary = final.with_name(f".{final.name}.rewrite")
            write_synced(temporary, rewrite.data)
            staged.append((temporary, final))
            stat = temporary.stat()
            new_sha = sha256_bytes(rewrite.data)
            ledger.append([new_sha, stat.st_size, stat.st_mtime_ns, relpath, rewrite.original_sha256])
            spans += [(relpath, span.start, span.lines) for span in rewrite.removed]
            counts.removed[relpath] = rewrite.removed
        with transaction(con):
            _apply_spans(con, contract, spans, ledger, counts)
        for temporary, final in staged:
            os.replace(temporary, final)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    counts.files = len(rewrites)
    counts.records = len(spans)
    return counts


def _apply_spans(con, contract: Contract, spans, ledger, counts: RewriteCounts) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _removed (file VARCHAR, start_line INTEGER, lines INTEGER)")
    con.executemany("INSERT INTO _removed VALUES (?, ?, ?)", spans)
    per_file = {}
    for table, file_column, line_column, where in (
        (contract.table, "_file", "_line", "TRUE"),
        ("raw.quarantine", "file", "line", f"source = '{contract.source}'"),
        # staged copies of the rows (incremental models are not rebuilt from raw): same records, same lines
        *((table, "source_file", "source_line", "TRUE") for table in lineage_tables(con)),
    ):
        deleted = con.execute(f"""
            DELETE FROM {table} WHERE {where} AND ({file_column}, {line_column}) IN
                (SELECT (file, start_line) FROM _removed)
            RETURNING {file_column}""").fetchall()
        for (path,) in deleted:
            per_file.setdefault((table, path), 0)
            per_file[(table, path)] += 1
        con.execute(f"""
            UPDATE {table} SET {line_column} = {line_column} - (
                SELECT coalesce(sum(r.lines), 0) FROM _removed r
                WHERE r.file = {table}.{file_column} AND r.start_line < {table}.{line_column})
            WHERE {where} AND {line_column} IS NOT NULL AND {file_column} IN (SELECT file FROM _removed)""")
    counts.raw_rows += sum(n for (table, _), n in per_file.items() if table == contract.table)
    counts.quarantine_rows += sum(n for (table, _), n in per_file.items() if table == "raw.quarantine")
    for new_sha, size, modified, path, old_sha in ledger:
        loaded = per_file.get((contract.table, path), 0)
        quarantined = per_file.get(("raw.quarantine", path), 0)
        con.execute(
            """UPDATE raw.loaded_files
               SET sha256 = ?, size_bytes = ?, modified_ns = ?,
                   rows_read = rows_read - ? - ?, rows_loaded = rows_loaded - ?,
                   rows_quarantined = rows_quarantined - ?,
                   rows_removed = coalesce(rows_removed, 0) + ?
               WHERE path = ? AND sha256 = ?""",
            [
                new_sha,
                size,
                modified,
                loaded,
                quarantined,
                loaded,
                quarantined,
                len(counts.removed[path]),
                path,
                old_sha,
            ],
        )
    con.execute("DROP TABLE _removed")
