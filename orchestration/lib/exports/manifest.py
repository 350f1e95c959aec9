"""What Kizuna reads from the prepared dbt manifest: the destinations (exposures) and the adapter."""

from __future__ import annotations

import json
from pathlib import Path

from .destinations import Destination, destinations_from_manifest


def _manifest(manifest_path: Path) -> dict:
    return json.loads(manifest_path.read_text(encoding="utf-8"))


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
