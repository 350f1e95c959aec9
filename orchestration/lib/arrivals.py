"""What has arrived in a landing folder, as one fingerprint: it changes when a ready file appears or changes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from orchestration.lib.landing import LandingFile, discover


def landing_fingerprint(landing: Path, folder: str, file_format: str) -> tuple[str, int]:
    """(fingerprint, number of ready files) of ``landing/folder``; files still being written are not ready."""
    files = discover(landing, folder, file_format)
    return fingerprint(files), len(files)


def fingerprint(files: Iterable[LandingFile]) -> str:
    """The fingerprint of a listing of ready files (``discover``'s)."""
    digest = hashlib.sha256()
    for landing_file in sorted(files, key=lambda f: f.relpath):
        digest.update(f"{landing_file.relpath}\0{landing_file.size_bytes}\0{landing_file.modified_ns}\n".encode())
    return digest.hexdigest()[:16]
