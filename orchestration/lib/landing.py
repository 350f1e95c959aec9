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
import os
from dataclasses import dataclass
from pathlib import Path

EXTENSIONS = {
    "jsonl": (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz"),
    "csv": (".csv", ".csv.gz"),
}
IN_PROGRESS_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload", ".filepart")


@dataclass(frozen=True)
class LandingFile:
    location: str  # the file's path; a string because a Path per file costs more than listing them
    relpath: str  # relative to the landing root, e.g. "events/segment-2026-01-01-p00.jsonl"
    size_bytes: int  # as listed
    modified_ns: int

    @property
    def path(self) -> Path:
        return Path(self.location)


def is_ready_name(name: str, file_format: str) -> bool:
    if name.startswith((".", "_")) or name.endswith(IN_PROGRESS_SUFFIXES):
        return False
    return name.endswith(EXTENSIONS[file_format])


def discover(landing: Path, folder: str, file_format: str) -> list[LandingFile]:
    """Ready files of one source folder (recursively, skipping hidden folders), in a stable order.

    With os.scandir, whose entries know their type without a stat: a source holds a file per hour of
    history, and pathlib took 0.6 s of every run to list 15k of them."""
    root = landing / folder
    if not root.is_dir():
        return []
    found: list[tuple[list[str], LandingFile]] = []
    pending = [(str(root), [folder])]
    while pending:
        directory, parts = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith((".", "_")):
                        pending.append((entry.path, [*parts, entry.name]))
                elif entry.is_file() and is_ready_name(entry.name, file_format):
                    stat = entry.stat()
                    relpath = [*parts, entry.name]
                    found.append((relpath, LandingFile(entry.path, "/".join(relpath), stat.st_size, stat.st_mtime_ns)))
    found.sort(key=lambda item: item[0])  # part by part, as paths compare
    return [landing_file for _, landing_file in found]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def landing_is_empty(landing: Path) -> bool:
    return not landing.exists() or not any(p.is_file() for p in landing.rglob("*"))
