"""Proof of erasure: search every layer for the subject's identifiers and report where any is left.

Searched: every file under ``KIZUNA_HOME`` as bytes (gzip files decompressed, Parquet files read as
tables) and every text column of every table of the warehouse. The terms are each identifier as stored, as
people type it (national phone numbers with and without hyphens) and in full-width characters; matching
ignores case. Hits name the place only, never the value, so the result can go into a receipt.
"""

from __future__ import annotations

import contextlib
import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .matching import _FULL_WIDTH, search_forms

CHUNK = 64 * 1024 * 1024
SKIPPED_FOLDERS = ("secrets",)  # the salts and keys: random bytes, nobody's data
TEXT_TYPES = ("VARCHAR", "JSON")


@dataclass
class Verification:
    files_searched: int = 0
    tables_searched: int = 0
    hits: list[str] = field(default_factory=list)  # "path" or "schema.table.column": places, not values

    @property
    def passed(self) -> bool:
        return not self.hits


def search_terms(identifiers: Iterable[str]) -> list[str]:
    terms = set()
    for identifier in identifiers:
        for form in search_forms(identifier):
            terms |= {form.lower(), form.lower().translate(_TO_FULL_WIDTH)}
    return sorted(terms)


_TO_FULL_WIDTH = {ascii_code: full for full, ascii_code in _FULL_WIDTH.items() if ascii_code != 0x20}


def _pattern(terms: list[str]) -> re.Pattern[bytes]:
    return re.compile(b"|".join(re.escape(term.encode("utf-8")) for term in terms), re.IGNORECASE)


def _stream_has(handle, pattern: re.Pattern[bytes], overlap: int) -> bool:
    tail = b""
    while chunk := handle.read(CHUNK):
        if pattern.search(tail + chunk):
            return True
        tail = chunk[-overlap:]
    return False


def verify_files(home: Path, terms: list[str], verification: Verification) -> None:
    if not terms:
        return
    pattern = _pattern(terms)
    overlap = max(len(term.encode("utf-8")) for term in terms)
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        relative = path.relative_to(home)
        if relative.parts[0] in SKIPPED_FOLDERS:
            continue
        verification.files_searched += 1
        with open(path, "rb") as handle:
            found = _stream_has(handle, pattern, overlap)
        if not found and path.suffix == ".gz":
            # not a readable gzip stream: its bytes were searched as they are
            with gzip.open(path, "rb") as handle, contextlib.suppress(OSError, EOFError):
                found = _stream_has(handle, pattern, overlap)
        if not found and path.suffix == ".parquet":
            found = _parquet_has(path, terms)
        if found:
            verification.hits.append(relative.as_posix())


def _text_match_sql(column: str) -> str:
    return f"regexp_matches(lower(translate(CAST({column} AS VARCHAR), $full, $ascii)), $pattern)"


def _sql_params(terms: list[str]) -> dict:
    full = "".join(chr(code) for code in _FULL_WIDTH)
    return {
        "full": full,
        "ascii": "".join(chr(_FULL_WIDTH[code]) for code in _FULL_WIDTH),
        "pattern": "|".join(re.escape(term) for term in terms),
    }


def _parquet_has(path: Path, terms: list[str]) -> bool:
    con = duckdb.connect()
    try:
        columns = [
            name
            for name, kind, *_ in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
            if kind in TEXT_TYPES
        ]
        if not columns:
            return False
        where = " OR ".join(_text_match_sql(f'"{c}"') for c in columns)
        params = _sql_params(terms) | {"path": str(path)}
        return con.execute(f"SELECT count(*) FROM read_parquet($path) WHERE {where}", params).fetchall()[0][0] > 0
    finally:
        con.close()


def verify_tables(con: duckdb.DuckDBPyConnection, terms: list[str], verification: Verification) -> None:
    if not terms:
        return
    columns: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in con.execute(f"""
        SELECT c.table_schema, c.table_name, c.column_name
        FROM information_schema.columns c
        JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
        WHERE t.table_type = 'BASE TABLE' AND c.data_type IN {TEXT_TYPES}
        ORDER BY 1, 2, c.ordinal_position""").fetchall():
        columns.setdefault((schema, table), []).append(column)
    params = _sql_params(terms)
    for (schema, table), names in columns.items():
        verification.tables_searched += 1
        counts = con.execute(
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE {_text_match_sql(f'{chr(34)}{n}{chr(34)}')})" for n in names)
            + f' FROM "{schema}"."{table}"',
            params,
        ).fetchall()[0]
        verification.hits += [f"{schema}.{table}.{name}" for name, count in zip(names, counts, strict=True) if count]
