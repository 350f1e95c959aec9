"""Proof of erasure: search every layer for the subject's identifiers and report where any is left.

Searched: every file under ``KIZUNA_HOME`` (gzip files decompressed, Parquet files read as tables) and
every text column of every table of the warehouse. The terms are each identifier as stored, as people type
it (national phone numbers with and without hyphens) and in full-width characters; matching ignores case.
Hits name the place only, never the value, so the result can go into a receipt.

Files are searched with an Aho-Corasick automaton, so hundreds of erased people cost one pass over the
bytes; a match counts when no identifier character (letter, digit, @ . _ + -) touches it on either side, so
one person's address inside a longer one of someone else's is not a leftover. Tables are searched by
tokens (runs of those characters, after full-width folding and lower-casing) joined to the terms in SQL.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
import duckdb

from ..warehouse import text_columns
from .matching import _FULL_WIDTH, search_forms

CHUNK = 64 * 1024 * 1024
SKIPPED_FOLDERS = ("secrets",)  # the salts and keys: random bytes, nobody's data
TEXT_TYPES = ("VARCHAR", "JSON")
TOKEN_SEPARATORS = r"[^a-z0-9@._+\-]+"  # an identifier is one token: e-mail, E.164, hyphenated phone, uuid


@dataclass
class Verification:
    files_searched: int = 0
    tables_searched: int = 0
    hits: list[str] = field(default_factory=list)  # "path" or "schema.table": places, not values

    @property
    def passed(self) -> bool:
        return not self.hits


_TO_FULL_WIDTH = {ascii_code: full for full, ascii_code in _FULL_WIDTH.items() if ascii_code != 0x20}


def search_terms(identifiers: Iterable[str]) -> list[str]:
    terms = set()
    for identifier in identifiers:
        for form in search_forms(identifier):
            terms |= {form.lower(), form.lower().translate(_TO_FULL_WIDTH)}
    return sorted(terms)


def _automaton(terms: list[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for term in terms:
        automaton.add_word(term, term)
    automaton.make_automaton()
    return automaton


def _chunks(path: Path) -> Iterator[str]:
    """The file's text, lower-cased, in overlapping chunks; gzip files as their content too."""
    with open(path, "rb") as handle:
        yield from _decoded(handle)
    if path.suffix == ".gz":
        try:
            with gzip.open(path, "rb") as handle:
                yield from _decoded(handle)
        except (OSError, EOFError, zlib.error):
            pass  # not a readable gzip stream: its bytes were searched as they are


def _decoded(handle) -> Iterator[str]:
    tail = ""
    while chunk := handle.read(CHUNK):
        text = tail + chunk.decode("utf-8", "replace").lower()
        yield text
        tail = text[-256:]


def _is_identifier_char(char: str) -> bool:
    return char.isalnum() or char in "@._+-"


def _whole_term_in(text: str, automaton: ahocorasick.Automaton) -> bool:
    """A term that stands alone: "ai.m@x.jp" inside "mai.m@x.jp" is someone else's address, not a leftover."""
    for end, term in automaton.iter(text):
        start = end - len(term) + 1
        before = text[start - 1] if start > 0 else " "
        after = text[end + 1] if end + 1 < len(text) else " "
        if not _is_identifier_char(before) and not _is_identifier_char(after):
            return True
    return False


def _has_term(path: Path, automaton: ahocorasick.Automaton) -> bool:
    return any(_whole_term_in(text, automaton) for text in _chunks(path))


def verify_files(home: Path, terms: list[str], verification: Verification) -> None:
    if not terms:
        return
    automaton = _automaton(terms)
    ascii_terms = [term for term in terms if term.isascii()]
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        relative = path.relative_to(home)
        if relative.parts[0] in SKIPPED_FOLDERS:
            continue
        verification.files_searched += 1
        found = _has_term(path, automaton)
        if not found and path.suffix == ".parquet":
            found = _parquet_has(path, ascii_terms)
        if found:
            verification.hits.append(relative.as_posix())


def _tokens_sql(columns: list[str]) -> str:
    """Every token of the given columns, full-width folded and lower-cased, one row each."""
    lists = ", ".join(
        f"coalesce(string_split_regex(lower(translate(CAST({c} AS VARCHAR), $full, $ascii)), '{TOKEN_SEPARATORS}'), [])"
        for c in columns
    )
    return f"unnest(flatten([{lists}])) AS token"


def _count_hits(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str], params: dict) -> int:
    return con.execute(
        f"""SELECT count(*) FROM (SELECT {_tokens_sql(columns)} FROM {relation}) AS tokens
            WHERE token IN (SELECT term FROM _verify_terms)""",
        params,
    ).fetchall()[0][0]


def _fold_params() -> dict:
    return {
        "full": "".join(chr(code) for code in _FULL_WIDTH),
        "ascii": "".join(chr(_FULL_WIDTH[code]) for code in _FULL_WIDTH),
    }


def _with_terms(con: duckdb.DuckDBPyConnection, terms: list[str]) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _verify_terms AS SELECT unnest(?::VARCHAR[]) AS term", [terms])


def _parquet_has(path: Path, terms: list[str]) -> bool:
    con = duckdb.connect()
    try:
        columns = [
            f'"{name}"'
            for name, kind, *_ in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
            if kind in TEXT_TYPES
        ]
        if not columns or not terms:
            return False
        _with_terms(con, terms)
        relation = "read_parquet('" + str(path).replace("'", "''") + "')"
        return _count_hits(con, relation, columns, _fold_params()) > 0
    finally:
        con.close()


def verify_tables(con: duckdb.DuckDBPyConnection, terms: list[str], verification: Verification) -> None:
    terms = [term for term in terms if term.isascii()]  # the search folds full-width text to ASCII first
    if not terms:
        return
    _with_terms(con, terms)
    params = _fold_params()
    for (schema, table), names in text_columns(con, TEXT_TYPES).items():
        verification.tables_searched += 1
        if _count_hits(con, f'"{schema}"."{table}"', [f'"{name}"' for name in names], params):
            verification.hits.append(f"{schema}.{table}")
    con.execute("DROP TABLE _verify_terms")
