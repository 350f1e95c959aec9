"""The destinations configured in the dbt project (its exposures), read from the prepared manifest."""

from __future__ import annotations

import json
from pathlib import Path

from .destinations import Destination, destinations_from_manifest


def load_destinations(manifest_path: Path) -> dict[str, Destination]:
    return destinations_from_manifest(json.loads(manifest_path.read_text(encoding="utf-8")))
