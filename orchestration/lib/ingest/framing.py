"""Framing: turn a landing file's bytes into numbered records with their original text.

Framing is the only part of ingestion done in Python: it keeps exact line
numbers, per-line encoding errors and multi-line CSV fields, which the bulk
readers do not report. Typing and validation happen afterwards in SQL.

A file that cannot be framed at all (wrong encoding, corrupt compression,
wrong header) yields ``file_error`` and no records: it is quarantined whole.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from dataclasses import dataclass, field

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class Framed:
    lines: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    pre_rejects: list[str | None] = field(default_factory=list)
    cells: dict[str, list[str | None]] = field(default_factory=dict)  # CSV: column -> values
    file_error: str | None = None
    header: list[str] | None = None

    def __len__(self) -> int:
        return len(self.lines)

    def add(self, line: int, text: str, pre_reject: str | None = None) -> None:
        self.lines.append(line)
        self.texts.append(text)
        self.pre_rejects.append(pre_reject)


def decompress(name: str, data: bytes) -> bytes:
    if name.endswith(".gz"):
        try:
            return gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as exc:
            raise FramingError(f"corrupt or truncated gzip stream ({type(exc).__name__})") from exc
    return data


class FramingError(Exception):
    """The file as a whole cannot be read."""


def _decode_whole(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _other_encoding(data: bytes) -> str | None:
    """Name the encoding a non-UTF-8 file is written in, when the evidence is clear.

    A file is judged to be in another encoding only when none of its non-ASCII
    lines is valid UTF-8 and the other decoding yields real Japanese text (kana
    or kanji, no private-use characters); otherwise it is a UTF-8 file with
    some corrupt lines, which are quarantined one by one.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    non_ascii = [line for line in data.split(b"\n") if not line.isascii()]
    if any(_decode_whole(line) is not None for line in non_ascii):
        return None
    for encoding, label in (("cp932", "Shift_JIS/CP932"), ("euc_jp", "EUC-JP")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        japanese = any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)
        private = any("\ue000" <= ch <= "\uf8ff" for ch in text)
        if japanese and not private:
            return label
    return None


def frame_jsonl(data: bytes) -> Framed:
    framed = Framed()
    data = data.removeprefix(UTF8_BOM)
    text = _decode_whole(data)
    if text is None:
        other = _other_encoding(data)
        if other:
            framed.file_error = f"file is not UTF-8 (it decodes as {other}); re-export it as UTF-8"
            return framed
        raw_lines = [
            line.decode("utf-8", "backslashreplace") if _decode_whole(line) is None else line.decode("utf-8")
            for line in data.split(b"\n")
        ]
        bad = {i for i, line in enumerate(data.split(b"\n")) if _decode_whole(line) is None}
    else:
        raw_lines, bad = text.split("\n"), set()
    terminated = data.endswith(b"\n")
    last = len(raw_lines) - 1
    for i, line in enumerate(raw_lines):
        line = line.removesuffix("\r")
        if not line.strip():
            continue  # blank lines separate nothing and carry no record
        reason = None
        if i in bad:
            reason = "line is not valid UTF-8"
        elif i == last and not terminated and not _is_json(line):
            reason = "truncated last line (no newline at end of file and not valid JSON)"
        framed.add(i + 1, line, reason)
    return framed


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
        return True
    except ValueError:
        return False


class _TrackedLines:
    """Line iterator for csv.reader that remembers the physical lines of the current record."""

    def __init__(self, text: str):
        self._lines = iter(io.StringIO(text, newline=""))
        self.consumed: list[str] = []
        self.line_no = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.line_no += 1
        self.consumed.append(line)
        return line

    def take(self) -> tuple[int, str]:
        start = self.line_no - len(self.consumed) + 1
        text = "".join(self.consumed).rstrip("\r\n")
        self.consumed = []
        return start, text


def frame_csv(data: bytes, columns: dict[str, str], required_headers: list[str]) -> Framed:
    """Frame a CSV file whose header must contain ``required_headers``.

    ``columns`` maps header names to contract columns; unknown extra headers
    (newer vendor exports add columns) are ignored, missing optional ones are NULL.
    """
    framed = Framed(cells={column: [] for column in columns.values()})
    data = data.removeprefix(UTF8_BOM)
    text = _decode_whole(data)
    if text is None:
        other = _other_encoding(data)
        framed.file_error = (
            f"file is not UTF-8 (it decodes as {other}); re-export it as UTF-8" if other else "file is not UTF-8 text"
        )
        return framed
    lines = _TrackedLines(text)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        framed.file_error = "file is empty (no header row)"
        return framed
    except csv.Error as exc:
        framed.file_error = f"header row is not valid CSV ({exc})"
        return framed
    lines.take()
    header = [h.strip() for h in header]
    framed.header = header
    missing = [h for h in required_headers if h not in header]
    if missing:
        framed.file_error = f"header lacks required columns: {', '.join(missing)}"
        return framed
    positions = {column: header.index(name) for name, column in columns.items() if name in header}
    absent = [column for column in columns.values() if column not in positions]
    width = len(header)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            start, raw = lines.take()
            rest = "".join(lines._lines)
            framed.add(start, (raw + rest).rstrip("\r\n"), f"not valid CSV ({exc})")
            _append_cells(framed, positions, absent, None)
            break
        start, raw = lines.take()
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        reason = None if len(row) == width else f"expected {width} fields, found {len(row)}"
        framed.add(start, raw, reason)
        _append_cells(framed, positions, absent, row if reason is None else None)
    return framed


def csv_record_spans(text: str) -> list[tuple[int, int]]:
    """(first physical line, number of physical lines) of every CSV record, the header included, as
    ``frame_csv`` numbers them; what cannot be parsed runs to the end of the file, as there."""
    lines = _TrackedLines(text)
    reader = csv.reader(lines)
    spans = []
    while True:
        try:
            next(reader)
        except StopIteration:
            break
        except csv.Error:
            start, _ = lines.take()
            spans.append((start, lines.line_no - start + 1 + sum(1 for _ in lines._lines)))
            break
        start, _ = lines.take()
        spans.append((start, lines.line_no - start + 1))
    return spans


def _append_cells(framed: Framed, positions: dict[str, int], absent: list[str], row: list[str] | None) -> None:
    for column, position in positions.items():
        framed.cells[column].append(row[position] if row is not None else None)
    for column in absent:
        framed.cells[column].append(None)
