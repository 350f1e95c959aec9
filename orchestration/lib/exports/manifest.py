"""What Kizuna reads from the prepared dbt manifest: the destinations (exposures), the adapter, and what each
node is built with (its code version)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import orjson

from .destinations import Destination, destinations_from_manifest


def _manifest(manifest_path: Path) -> dict:
    """The parsed manifest, read once per version of the file (the code location reads it from several
    modules as it loads, and parsing its megabyte with the json module took 0.1 s a time)."""
    return _parse(manifest_path.resolve(), *_stat(manifest_path))


def _stat(manifest_path: Path) -> tuple[int, int]:
    stat = manifest_path.stat()
    return stat.st_mtime_ns, stat.st_size


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


def macro_fingerprints(manifest_path: Path) -> dict[str, str]:
    """macro unique id -> a fingerprint of its SQL and of every macro it calls, transitively."""
    return _macro_fingerprints(manifest_path.resolve(), *_stat(manifest_path))


@lru_cache(maxsize=2)
def _macro_fingerprints(manifest_path: Path, mtime_ns: int, size: int) -> dict[str, str]:
    macros = _parse(manifest_path, mtime_ns, size)["macros"]
    done: dict[str, str] = {}

    def fingerprint(unique_id: str, calling: frozenset[str]) -> str:
        if unique_id not in done:
            macro = macros.get(unique_id) or {"macro_sql": unique_id, "depends_on": {}}
            called = [m for m in macro["depends_on"].get("macros", []) if m not in calling]  # recursion ends
            digest = hashlib.sha256(macro["macro_sql"].encode())
            for callee in sorted(called):
                digest.update(fingerprint(callee, calling | {unique_id}).encode())
            done[unique_id] = digest.hexdigest()
        return done[unique_id]

    for unique_id in macros:
        fingerprint(unique_id, frozenset())
    return done


def node_fingerprints(manifest_path: Path) -> dict[str, str]:
    """node unique id -> a fingerprint of what dbt builds and tests it with, its data aside: its code and config,
    the macros it calls (transitively), and the definitions, config and macros of its tests."""
    return _node_fingerprints(manifest_path.resolve(), *_stat(manifest_path))


@lru_cache(maxsize=2)
def _node_fingerprints(manifest_path: Path, mtime_ns: int, size: int) -> dict[str, str]:
    manifest = _parse(manifest_path, mtime_ns, size)
    macros = _macro_fingerprints(manifest_path, mtime_ns, size)
    nodes = manifest["nodes"]

    def own(node: dict) -> list[str]:
        return [
            node.get("raw_code") or node.get("checksum", {}).get("checksum", ""),
            orjson.dumps(node.get("config", {}), option=orjson.OPT_SORT_KEYS, default=str).decode(),
            orjson.dumps(node.get("test_metadata", {}), option=orjson.OPT_SORT_KEYS, default=str).decode(),
            *(macros.get(m, m) for m in sorted(node.get("depends_on", {}).get("macros", []))),
        ]

    fingerprints = {}
    for unique_id, node in nodes.items():
        tests = sorted(c for c in manifest.get("child_map", {}).get(unique_id, []) if c.startswith("test."))
        parts = own(node) + [part for test in tests if test in nodes for part in [test, *own(nodes[test])]]
        fingerprints[unique_id] = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return fingerprints


def adapter_type(manifest_path: Path) -> str:
    """The dbt adapter the project was parsed for (duckdb by default)."""
    return _manifest(manifest_path)["metadata"]["adapter_type"]
