"""Load new landing files of one source into ``raw.<source>``, quarantining what breaks the contract.

Each file is loaded once: the ledger ``raw.loaded_files`` is keyed by path and
SHA-256. Files are processed in batches; a batch's rows, quarantine entries and
ledger rows are committed in one transaction, so a crash leaves no file half
loaded and the next run simply loads it again.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from ..arrivals import fingerprint
from ..atomic import write_atomic
from ..landing import LandingFile, discover, sha256_bytes
from ..privacy.matching import Suppression
from ..warehouse import scalar, transaction
from .contracts import Contract, compile_contract
from .framing import Framed, FramingError, decompress, frame_csv, frame_jsonl
from .rewrite import drop_records

log = logging.getLogger(__name__)

BATCH_BYTES = 64 * 1024 * 1024
BATCH_FILES = 500

LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS raw.loaded_files (
    source VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    modified_ns BIGINT NOT NULL,      -- with size_bytes: an unchanged file is skipped without reading it
    status VARCHAR NOT NULL,          -- loaded | quarantined | duplicate | rejected (kizuna reject)
    reason VARCHAR,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    rows_removed BIGINT DEFAULT 0,     -- records taken out of the file by erasure, suppression or retention
    PRIMARY KEY (path, sha256)
)"""
QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS raw.quarantine (
    source VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    line INTEGER,                     -- NULL when the whole file was quarantined
    reason VARCHAR NOT NULL,
    original_text VARCHAR,
    quarantined_at TIMESTAMPTZ NOT NULL
)"""


@dataclass
class FileOutcome:
    path: str
    sha256: str
    size_bytes: int
    modified_ns: int
    status: str
    reason: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_removed: int = 0  # records of suppressed people taken out of the file before it was loaded


@dataclass
class IngestReport:
    source: str
    outcomes: list[FileOutcome] = field(default_factory=list)
    already_loaded: int = 0
    still_changing: list[str] = field(default_factory=list)
    quarantine_reasons: Counter = field(default_factory=Counter)
    rows_suppressed: int = 0  # records about erased people dropped from arriving files, never stored
    landing_fingerprint: str = ""  # of the folder as this ingestion listed it (orchestration/lib/arrivals.py)
    latest_load: datetime | None = None  # the source's latest load time in the ledger, this ingestion's included

    def total(self, attribute: str) -> int:
        return sum(getattr(o, attribute) for o in self.outcomes)

    @property
    def files_by_status(self) -> Counter:
        return Counter(o.status for o in self.outcomes)


def ensure_tables(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(LEDGER_DDL)
    con.execute("ALTER TABLE raw.loaded_files ADD COLUMN IF NOT EXISTS rows_removed BIGINT DEFAULT 0")
    con.execute(QUARANTINE_DDL)
    columns = ",\n".join(f"{name} {sql_type}" for name, sql_type in contract.column_types().items())
    con.execute(f"""CREATE TABLE IF NOT EXISTS {contract.table} (
        {columns},
        _file VARCHAR NOT NULL, _line INTEGER NOT NULL, _loaded_at TIMESTAMPTZ NOT NULL)""")
    # a contract that gained a column: add it instead of failing on an older warehouse
    for name, sql_type in contract.column_types().items():
        con.execute(f"ALTER TABLE {contract.table} ADD COLUMN IF NOT EXISTS {name} {sql_type}")


def _frame(contract: Contract, name: str, data: bytes) -> Framed:
    try:
        data = decompress(name, data)
    except FramingError as exc:
        return Framed(file_error=str(exc))
    if contract.format == "jsonl":
        return frame_jsonl(data)
    columns = {f.origin: f.column for f in contract.fields}
    return frame_csv(data, columns, contract.required_headers)


def _first_line(data: bytes) -> str:
    return data[:2000].split(b"\n", 1)[0].decode("utf-8", "backslashreplace")


class _Batch:
    def __init__(self) -> None:
        self.framed: list[tuple[FileOutcome, Framed]] = []
        self.file_level: list[tuple[FileOutcome, str]] = []  # whole-file quarantine: outcome, first line
        self.other: list[FileOutcome] = []  # duplicates: ledger rows only
        self.size = 0

    def __len__(self) -> int:
        return len(self.framed) + len(self.file_level) + len(self.other)

    def to_arrow(self, contract: Contract) -> pa.Table:
        files, lines, texts, pre = [], [], [], []
        cells: dict[str, list] = {f.column: [] for f in contract.fields} if contract.format == "csv" else {}
        for outcome, framed in self.framed:
            files.extend([outcome.path] * len(framed))
            lines.extend(framed.lines)
            texts.extend(framed.texts)
            pre.extend(framed.pre_rejects)
            for column, values in cells.items():
                values.extend(framed.cells[column])
        columns = {
            "_file": pa.array(files, pa.string()),
            "_line": pa.array(lines, pa.int32()),
            "_raw": pa.array(texts, pa.string()),
            "_pre_reject": pa.array(pre, pa.string()),
        }
        columns.update({c: pa.array(v, pa.string()) for c, v in cells.items()})
        return pa.table(columns)


@dataclass
class _Ledger:
    by_path: dict[str, set[str]] = field(default_factory=dict)  # path -> checksums seen there
    by_sha: dict[str, str] = field(default_factory=dict)  # checksum -> first path it was seen at
    stats: set[tuple[str, int, int]] = field(default_factory=set)  # (path, size, mtime) already recorded

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection, source: str) -> _Ledger:
        ledger = cls()
        rows = con.execute(
            "SELECT path, sha256, size_bytes, modified_ns FROM raw.loaded_files WHERE source = ? ORDER BY loaded_at",
            [source],
        ).fetchall()
        for path, sha, size, modified in rows:
            ledger.by_path.setdefault(path, set()).add(sha)
            ledger.by_sha.setdefault(sha, path)
            ledger.stats.add((path, size, modified))
        return ledger


def ingest(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    contract: Contract,
    loaded_at: datetime,
    batch_bytes: int = BATCH_BYTES,
    suppression: Suppression | None = None,
) -> IngestReport:
    ensure_tables(con, contract)
    # load times only move forward, even if the clock steps back: incremental staging takes what was loaded
    # after the latest load time it has staged, and would never see rows stamped earlier
    # (the ledger's, not the table's: rows leave raw when a file is rejected or records are erased)
    latest = scalar(con, "SELECT max(loaded_at) FROM raw.loaded_files WHERE source = ?", [contract.source])
    if latest is not None and loaded_at <= latest:
        loaded_at = latest + timedelta(microseconds=1)
    report = IngestReport(contract.source)
    ledger = _Ledger.read(con, contract.source)
    batch = _Batch()
    listed = discover(landing, contract.source, contract.format)
    report.landing_fingerprint = fingerprint(listed)
    for landing_file in listed:
        if (landing_file.relpath, landing_file.size_bytes, landing_file.modified_ns) in ledger.stats:
            report.already_loaded += 1  # unchanged since it was recorded: not even read
            continue
        outcome, data = _read(landing_file, report)
        if outcome is None:
            continue
        if suppression:
            outcome, data = _suppress(landing_file, outcome, data, contract, suppression, report)
        known = ledger.by_path.get(outcome.path, set())
        if outcome.sha256 in known:
            report.already_loaded += 1  # touched, same content
            continue
        ledger.by_path.setdefault(outcome.path, set()).add(outcome.sha256)
        if outcome.sha256 in ledger.by_sha:
            outcome.status, outcome.reason = "duplicate", f"same content as {ledger.by_sha[outcome.sha256]}"
            batch.other.append(outcome)
        elif known:
            outcome.status = "quarantined"
            outcome.reason = "file changed after it was loaded (landing files are immutable: drop a new file instead)"
            batch.file_level.append((outcome, _first_line(data)))
        else:
            ledger.by_sha[outcome.sha256] = outcome.path
            framed = _frame(contract, landing_file.path.name, data)
            if framed.file_error:
                outcome.status, outcome.reason = "quarantined", framed.file_error
                batch.file_level.append((outcome, _first_line(data)))
            else:
                batch.framed.append((outcome, framed))
                batch.size += outcome.size_bytes
        if batch.size >= batch_bytes or len(batch) >= BATCH_FILES:
            _commit(con, contract, batch, loaded_at, report)
            batch = _Batch()
    if len(batch):
        _commit(con, contract, batch, loaded_at, report)
    report.latest_load = loaded_at if report.outcomes else latest
    for outcome in report.outcomes:
        if outcome.status == "quarantined":
            log.warning("%s: whole file quarantined: %s (%s)", contract.source, outcome.path, outcome.reason)
    return report


def _read(landing_file: LandingFile, report: IngestReport) -> tuple[FileOutcome | None, bytes]:
    before = landing_file.path.stat()
    data = landing_file.path.read_bytes()
    after = landing_file.path.stat()
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(data) != after.st_size:
        report.still_changing.append(landing_file.relpath)
        return None, b""
    return FileOutcome(landing_file.relpath, sha256_bytes(data), len(data), after.st_mtime_ns, "loaded"), data


def _suppress(
    landing_file: LandingFile,
    outcome: FileOutcome,
    data: bytes,
    contract: Contract,
    suppression: Suppression,
    report: IngestReport,
) -> tuple[FileOutcome, bytes]:
    """Take records about erased people out of an arriving file, on disk too, before anything reads them."""
    try:
        rewrite = drop_records(
            landing_file.path.name,
            data,
            contract.format,
            lambda _, text: suppression.record_matches(text, contract.format),
            contract.record_group,
        )
    except FramingError:
        return outcome, data  # unreadable: quarantined whole, nothing of it is stored as records
    if rewrite is None:
        return outcome, data
    write_atomic(landing_file.path, rewrite.data)
    stat = landing_file.path.stat()
    report.rows_suppressed += len(rewrite.removed)
    suppressed = FileOutcome(outcome.path, sha256_bytes(rewrite.data), len(rewrite.data), stat.st_mtime_ns, "loaded")
    suppressed.rows_removed = len(rewrite.removed)
    return suppressed, rewrite.data


def _commit(
    con: duckdb.DuckDBPyConnection, contract: Contract, batch: _Batch, loaded_at: datetime, report: IngestReport
) -> None:
    columns = ", ".join(f.column for f in contract.fields)
    with transaction(con):
        if batch.framed:
            con.register("_framed", batch.to_arrow(contract))
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _checked AS {compile_contract(contract, '_framed')}",
                {"loaded_at": loaded_at},
            )
            con.unregister("_framed")
            con.execute(f"""INSERT INTO {contract.table} ({columns}, _file, _line, _loaded_at)
                            SELECT {columns}, _file, _line, _loaded_at FROM _checked WHERE _reject_reason IS NULL""")
            con.execute(
                """INSERT INTO raw.quarantine
                           SELECT ?, _file, _line, _reject_reason, _rejected_text, _loaded_at
                           FROM _checked WHERE _reject_reason IS NOT NULL""",
                [contract.source],
            )
            counts = {
                path: (read, loaded)
                for path, read, loaded in con.execute(
                    "SELECT _file, count(*), count(*) FILTER (WHERE _reject_reason IS NULL) "
                    "FROM _checked GROUP BY _file"
                ).fetchall()
            }
            report.quarantine_reasons.update(
                dict(
                    con.execute(
                        "SELECT _reject_reason, count(*) FROM _checked WHERE _reject_reason IS NOT NULL GROUP BY 1"
                    ).fetchall()
                )
            )
            con.execute("DROP TABLE _checked")
            for outcome, _framed in batch.framed:
                read, loaded = counts.get(outcome.path, (0, 0))
                outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined = read, loaded, read - loaded
        for outcome, first_line in batch.file_level:
            con.execute(
                "INSERT INTO raw.quarantine VALUES (?, ?, NULL, ?, ?, ?)",
                [contract.source, outcome.path, outcome.reason, first_line, loaded_at],
            )
            report.quarantine_reasons[f"whole file: {outcome.reason.split(' (')[0]}"] += 1
        outcomes = [o for o, _ in batch.framed] + [o for o, _ in batch.file_level] + batch.other
        con.executemany(
            """INSERT INTO raw.loaded_files (source, path, sha256, size_bytes, modified_ns, status, reason, rows_read,
                                            rows_loaded, rows_quarantined, loaded_at, rows_removed)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                [
                    contract.source,
                    o.path,
                    o.sha256,
                    o.size_bytes,
                    o.modified_ns,
                    o.status,
                    o.reason,
                    o.rows_read,
                    o.rows_loaded,
                    o.rows_quarantined,
                    loaded_at,
                    o.rows_removed,
                ]
                for o in outcomes
            ],
        )
    report.outcomes.extend(outcomes)
