"""What Kizuna reads from the prepared dbt manifest: the destinations (exposures) and the adapter."""

from __future__ import annotations

import json
from pathlib import Path

from .destinations import Destination, destinations_from_manifest


def _manifest(manifest_path: Path) -> dict:
    return json.loads(manifest_path.read_text(encoding="utf-8"))


def load_destinations(manifest_path: Path) -> dict[str, Destination]:
    return destinations_from_manifest(_manifest(manifest_path))


def adapter_type(manifest_path: Path) -> str:
    """The dbt adapter the project was parsed for (duckdb by default)."""
    return _manifest(manifest_path)["metadata"]["adapter_type"]
