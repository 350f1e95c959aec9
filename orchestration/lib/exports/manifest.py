"""What Kizuna reads from the prepared dbt manifest: the destinations (exposures) and the adapter."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import orjson

from .destinations import Destination, destinations_from_manifest


def _manifest(manifest_path: Path) -> dict:
    """The parsed manifest, read once per version of the file (the code location reads it from several
    modules as it loads, and parsing its megabyte with the json module took 0.1 s a time)."""
    stat = manifest_path.stat()
    return _parse(manifest_path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _parse(manifest_path: Path, mtime_ns: int, size: int) -> dict:  # the stat values key the cache
    return orjson.loads(manifest_path.read_bytes())


def load_destinations(manifest_path: Path) -> dict[str, Destination]:
    return destinations_from_manifest(_manifest(manifest_path))


def derived_columns(manifest_path: Path) -> dict[str, set[str]]:
    """column -> the columns it is computed from, as the models' column meta ``derived_from`` declares."""
    found: dict[str, set[str]] = {}
    for node in _manifest(manifest_path)["nodes"].values():
        for name, column in node.get("columns", {}).items():
            sources = (column.get("meta") or {}).get("derived_from")
            if sources:
                found.setdefault(name, set()).update(sources)
    return found


def adapter_type(manifest_path: Path) -> str:
    """The dbt adapter the project was parsed for (duckdb by default)."""
    return _manifest(manifest_path)["metadata"]["adapter_type"]
