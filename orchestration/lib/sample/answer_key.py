"""The generator's answer key (``$KIZUNA_HOME/truth``) kept true to a landing zone that erasure or retention
rewrote: people erased leave it, and the injected bad lines it lists move with the lines before them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..ingest.rewrite import Span


def people_with(truth: Path, identifier_matches: Callable[[str], bool]) -> set[str]:
    """The people of the answer key with an identifier ``identifier_matches`` accepts."""
    people = set()
    for path in sorted(truth.glob("identifiers-*.parquet")):
        table = pq.read_table(path, columns=["person_id", "identifier_value"])
        people |= {
            person
            for person, value in zip(table["person_id"].to_pylist(), table["identifier_value"].to_pylist(), strict=True)
            if value and identifier_matches(value)
        }
    return people


def follow_landing(truth: Path, removed: dict[str, list[Span]], people: Iterable[str] = ()) -> int:
    """Drop ``people`` and renumber listed landing lines after ``removed`` (file -> record spans taken out);
    the number of answer-key files rewritten."""
    people = set(people)
    rewritten = 0
    for path in sorted(truth.glob("*.parquet")) if truth.exists() else []:
        table = pq.read_table(path)
        followed = _follow(table, people, removed)
        if followed is not table:
            temporary = path.with_name(f".{path.name}.part")
            pq.write_table(followed, temporary)
            os.replace(temporary, path)
            rewritten += 1
    return rewritten


def _follow(table: pa.Table, people: set[str], removed: dict[str, list[Span]]) -> pa.Table:
    """The table without the people's rows, landing lines moved as their files were; itself if unchanged."""
    keep = [True] * table.num_rows
    if "person_id" in table.column_names:
        keep = [person not in people for person in table["person_id"].to_pylist()]
    lines = None
    if {"file", "line"} <= set(table.column_names) and removed:
        old = table["line"].to_pylist()
        lines = []
        for index, (file, line) in enumerate(zip(table["file"].to_pylist(), old, strict=True)):
            spans = removed.get(file, [])
            if line is not None and any(span.start <= line < span.start + span.lines for span in spans):
                keep[index] = False
            shift = sum(span.lines for span in spans if line is not None and span.start + span.lines <= line)
            lines.append(None if line is None else line - shift)
        if lines == old:
            lines = None
    if all(keep) and lines is None:
        return table
    if lines is not None:
        table = table.set_column(table.column_names.index("line"), "line", pa.array(lines, table["line"].type))
    return table.filter(pa.array(keep))
