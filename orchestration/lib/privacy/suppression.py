"""The suppression list: salted digests of every identifier of every erased person, kept in the warehouse.

Ingestion drops arriving records that match it (a re-sent export, a replayed event file), so data about
an erased person is counted but never stored again. The salt lives in ``$KIZUNA_HOME/secrets``; without
it the digests cannot be tested against a guessed e-mail address or phone number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import duckdb

from ..secrets import load_secret
from ..warehouse import table_exists
from .matching import Suppression

SUPPRESSION_DDL = """
CREATE TABLE IF NOT EXISTS privacy.suppression_list (
    digest VARCHAR PRIMARY KEY,       -- SHA-256 of salt + one normal form of one identifier
    request_hash VARCHAR NOT NULL,    -- the erasure request that added it (hashed like the receipt)
    added_at TIMESTAMPTZ NOT NULL
)"""


def salt_path(home: Path) -> Path:
    return home / "secrets" / "suppression_salt"


def ensure_suppression(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS privacy")
    con.execute(SUPPRESSION_DDL)


def load_suppression(con: duckdb.DuckDBPyConnection, home: Path) -> Suppression:
    """The current list (empty when nobody was ever erased: ingestion then skips matching altogether)."""
    digests = (
        {d for (d,) in con.execute("SELECT digest FROM privacy.suppression_list").fetchall()}
        if table_exists(con, "privacy", "suppression_list")
        else set()
    )
    return Suppression(load_secret(salt_path(home)), digests)


def suppress(
    con: duckdb.DuckDBPyConnection,
    suppression: Suppression,
    identifiers: Iterable[str],
    request_hash: str,
    at: datetime,
) -> int:
    """Add identifiers to the list (in memory and in the warehouse); how many digests were new."""
    new = suppression.add(identifiers)
    con.executemany(
        "INSERT INTO privacy.suppression_list VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [[digest, request_hash, at] for digest in sorted(new)],
    )
    return len(new)
