"""Export files on disk: the full file, the delta and the manifest of one segment at one destination.

Layout under ``exports/<destination>/<segment>/``:
  <segment>.<ext>              the full audience, replaced atomically at each export
  deltas/<export_id>.csv       who was added and removed since the last successful export (by customer_key)
  manifests/<export_id>.json   counts, SHA-256 checksums, segment definition version, generated_at
  manifest.json                the newest manifest, written last: a reader that trusts it sees whole files
Every file is written under a hidden temporary name in the same folder, synced, then renamed into place.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .formats import FileFormat, Row


@dataclass(frozen=True)
class Delta:
    added: dict[str, Row]
    removed: dict[str, Row]

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.removed)


def compute_delta(previous: Mapping[str, Row], current: Mapping[str, Row]) -> Delta:
    """Added: new keys, or keys whose row changed (the vendor upserts); removed: keys no longer present."""
    added = {key: row for key, row in current.items() if previous.get(key) != row}
    removed = {key: row for key, row in previous.items() if key not in current}
    return Delta(added, removed)


def churn_share(previous_rows: int, delta: Delta) -> float:
    return delta.changes / max(previous_rows, 1)


def write_atomic(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never half; its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return hashlib.sha256(data).hexdigest()


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
    """change (added/removed), customer_key, then the vendor columns (with the consent value where it has one)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    consent = file_format.consent_column
    writer.writerow(("change", "customer_key") + file_format.header_for(fields) + ((consent[0],) if consent else ()))
    for change, rows, consent_value in (
        ("added", delta.added, consent[1] if consent else None),
        ("removed", delta.removed, consent[2] if consent else None),
    ):
        for key in sorted(rows):
            writer.writerow((change, key) + rows[key] + ((consent_value,) if consent_value else ()))
    return buffer.getvalue().encode("utf-8")


def read_full(path: Path, file_format: FileFormat) -> list[Row]:
    """The rows of a full file as written (without header or consent column)."""
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    rows = list(reader)
    if file_format.has_header:
        rows = rows[1:]
    if file_format.consent_column:
        rows = [row[:-1] for row in rows]
    return [tuple(row) for row in rows]


def segment_folder(exports_root: Path, destination: str, segment: str) -> Path:
    return exports_root / destination / segment


def publish(
    folder: Path,
    segment: str,
    file_format: FileFormat,
    fields: tuple[str, ...],
    rows: Mapping[str, Row],
    delta: Delta,
    manifest: dict,
) -> dict:
    """Write the delta, the full file and the manifests (in that order); the manifest as written."""
    export_id = manifest["export_id"]
    delta_bytes = render_delta(file_format, fields, delta)
    full_bytes = render_full(file_format, fields, rows)
    full_name = f"{segment}.{file_format.extension}"
    manifest = {
        **manifest,
        "files": {
            "full": {"path": full_name, "rows": len(rows), "sha256": hashlib.sha256(full_bytes).hexdigest()},
            "delta": {
                "path": f"deltas/{export_id}.csv",
                "added": len(delta.added),
                "removed": len(delta.removed),
                "sha256": hashlib.sha256(delta_bytes).hexdigest(),
            },
        },
    }
    write_atomic(folder / "deltas" / f"{export_id}.csv", delta_bytes)
    write_atomic(folder / full_name, full_bytes)
    manifest_bytes = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
    write_atomic(folder / "manifests" / f"{export_id}.json", manifest_bytes)
    write_atomic(folder / "manifest.json", manifest_bytes)
    return manifest
