"""Export files on disk: the full file, the delta and the manifest of one segment at one destination.

Layout under ``exports/<destination>/<segment>/``:
  full-<export_id>.<ext>       the full audience of that export (the previous one is kept for readers
                               still holding the previous manifest; older ones are deleted)
  deltas/<export_id>.csv       what changed since the last successful export: removals first, then additions
  manifests/<export_id>.json   counts, SHA-256 checksums, segment definition version, generated_at
  manifest.json                the newest manifest, written last: it only ever names complete files
Every file is written under a hidden temporary name in the same folder, synced, then renamed into place.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_atomic
from .formats import FileFormat, Row

KEEP_FULL_FILES = 2


@dataclass(frozen=True)
class Delta:
    added: dict[str, Row]
    removed: dict[str, Row]
    # removals because the person withdrew consent (the vendor should unsubscribe them, not just drop them)
    withdrawn: frozenset[str] = field(default_factory=frozenset)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.removed)


def compute_delta(previous: Mapping[str, Row], current: Mapping[str, Row], withdrawn: Set[str] = frozenset()) -> Delta:
    """What the vendor must apply to go from ``previous`` to ``current`` (both keyed by customer_key).

    Added: new people and people whose row changed (a new e-mail, say). Removed: people gone, and the old
    row of people whose row changed, unless that same vendor row is still sent (a merge of two keys that kept
    the address): removing it would drop someone who is still in the audience.
    """
    still_sent = set(current.values())
    added = {key: row for key, row in current.items() if previous.get(key) != row}
    removed = {key: row for key, row in previous.items() if current.get(key) != row and row not in still_sent}
    return Delta(added, removed, frozenset(key for key in removed if key in withdrawn and key not in current))


def membership_churn(previous: Mapping[str, Row], current: Mapping[str, Row], lost: Set[str]) -> float:
    """The share of the last export that entered or left, not counting people who lost their grant."""
    entered = sum(1 for key in current if key not in previous)
    left = sum(1 for key in previous if key not in current and key not in lost)
    return (entered + left) / max(len(previous), 1)


def render_full(file_format: FileFormat, fields: tuple[str, ...], rows: Mapping[str, Row]) -> bytes:
    """The vendor's upload file: header (where the vendor wants one) and one row per person, sorted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    consent = file_format.consent_column
    if file_format.has_header:
        writer.writerow(file_format.header_for(fields) + ((consent[0],) if consent else ()))
    for row in sorted(rows.values()):
        writer.writerow(row + ((consent[1],) if consent else ()))
    return buffer.getvalue().encode("utf-8")


def render_delta(file_format: FileFormat, fields: tuple[str, ...], delta: Delta) -> bytes:
    """change, customer_key, the vendor columns; where the vendor has a consent column, removals after a
    withdrawal say so (Unsubscribed) and other removals leave it empty (leaving a list is not unsubscribing)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    consent = file_format.consent_column
    writer.writerow(("change", "customer_key") + file_format.header_for(fields) + ((consent[0],) if consent else ()))
    for key in sorted(delta.removed):
        status = ((consent[2] if key in delta.withdrawn else ""),) if consent else ()
        writer.writerow(("removed", key) + delta.removed[key] + status)
    for key in sorted(delta.added):
        writer.writerow(("added", key) + delta.added[key] + ((consent[1],) if consent else ()))
    return buffer.getvalue().encode("utf-8")


def read_full(path: Path, file_format: FileFormat) -> list[Row]:
    """The rows of a full file as written (without header or consent column)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    if file_format.has_header:
        rows = rows[1:]
    if file_format.consent_column:
        rows = [row[:-1] for row in rows]
    return [tuple(row) for row in rows]


def render_manifest(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")


def segment_folder(exports_root: Path, destination: str, segment: str) -> Path:
    return exports_root / destination / segment


def publish(
    folder: Path,
    file_format: FileFormat,
    fields: tuple[str, ...],
    rows: Mapping[str, Row],
    delta: Delta,
    manifest: dict,
) -> dict:
    """Write the full file, the delta and the manifests (the newest last); the manifest as written."""
    export_id = manifest["export_id"]
    delta_bytes = render_delta(file_format, fields, delta)
    full_bytes = render_full(file_format, fields, rows)
    full_name = f"full-{export_id}.{file_format.extension}"
    manifest = {
        **manifest,
        "files": {
            "full": {"path": full_name, "rows": len(rows), "sha256": hashlib.sha256(full_bytes).hexdigest()},
            "delta": {
                "path": f"deltas/{export_id}.csv",
                "added": len(delta.added),
                "removed": len(delta.removed),
                "withdrawn": len(delta.withdrawn),
                "sha256": hashlib.sha256(delta_bytes).hexdigest(),
            },
        },
    }
    write_atomic(folder / full_name, full_bytes)
    write_atomic(folder / "deltas" / f"{export_id}.csv", delta_bytes)
    manifest_bytes = render_manifest(manifest)
    write_atomic(folder / "manifests" / f"{export_id}.json", manifest_bytes)
    write_atomic(folder / "manifest.json", manifest_bytes)
    for old in sorted(folder.glob(f"full-*.{file_format.extension}"))[:-KEEP_FULL_FILES]:
        old.unlink()
    return manifest
