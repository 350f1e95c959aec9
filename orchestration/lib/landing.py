"""The landing zone: which files are ready to load.

Convention (documented in the README): a writer puts a file in place under its
final name only when it is complete, by writing it under a hidden or temporary
name first (``.name``, ``_name``, ``name.part``, ``name.tmp``) and renaming it.
Such names are never loaded. As a second guard, the loader compares the file's
size and modification time before and after reading it and leaves a file that
changed meanwhile for the next run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

EXTENSIONS = {
    "jsonl": (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz"),
    "csv": (".csv", ".csv.gz"),
}
IN_PROGRESS_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload", ".filepart")


@dataclass(frozen=True)
class LandingFile:
    path: Path
    relpath: str  # relative to the landing root, e.g. "events/segment-2026-01-01-p00.jsonl"


def is_ready_name(name: str, file_format: str) -> bool:
    if name.startswith((".", "_")) or name.endswith(IN_PROGRESS_SUFFIXES):
        return False
    return name.endswith(EXTENSIONS[file_format])


def discover(landing: Path, folder: str, file_format: str) -> list[LandingFile]:
    """Ready files of one source folder (recursively), in a stable order."""
    root = landing / folder
    if not root.is_dir():
        return []
    files = []
    for path in sorted(root.rglob("*")):
        if (
            path.is_file()
            and not any(part.startswith((".", "_")) for part in path.relative_to(root).parts[:-1])
            and is_ready_name(path.name, file_format)
        ):
            files.append(LandingFile(path, path.relative_to(landing).as_posix()))
    return files


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def landing_is_empty(landing: Path) -> bool:
    return not landing.exists() or not any(p.is_file() for p in landing.rglob("*"))
