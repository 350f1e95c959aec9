"""Erasure in the export folders: published files rewritten without the subject, destinations told.

Every full file and delta of every segment is rewritten without the rows about an erased person (found by
customer key, by the vendor's hashed forms of their e-mail and phone, or by the suppression matcher), and
the manifests are brought up to date (checksums, counts). Each destination that had them gets an erasure
notice, ``exports/<destination>/erasures/<notice>.csv``: ``change,customer_key`` rows saying ``erased``.
It names people by customer key only, which every delta the destination applied already carried next to
its own match key, so the connector can delete the vendor's record without Kizuna keeping an address.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_atomic
from ..exports.files import read_full, render_manifest
from ..exports.formats import FORMATS, google_email, google_phone, meta_email, meta_phone, sha256_hex
from ..ingest.rewrite import drop_records
from .matching import Suppression, normal_email, normal_phone


@dataclass
class ExportScrub:
    files: int = 0
    rows: int = 0
    destinations: dict[str, set[str]] = field(default_factory=dict)  # destination -> customer keys removed


def vendor_digests(identifiers: Iterable[str]) -> set[str]:
    """The hashed forms the ad platforms' files hold for these e-mails and phones."""
    digests = set()
    for identifier in identifiers:
        email, phone = normal_email(identifier), normal_phone(identifier) if "@" not in identifier else None
        if email:
            digests |= {sha256_hex(google_email(email)), sha256_hex(meta_email(email))}
        if phone:
            digests |= {sha256_hex(google_phone(phone)), sha256_hex(meta_phone(phone))}
    return digests


def _cells_matcher(keys: set[str], digests: set[str], suppression: Suppression) -> Callable[[list[str]], bool]:
    plain = keys | digests

    def matches(cells: list[str]) -> bool:
        return any(cell in plain or suppression.value_matches(cell) for cell in cells)

    return matches


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _delta_keys(text: str, matches: Callable[[list[str]], bool]) -> set[str]:
    """The customer keys (second column) of the delta rows about the subjects."""
    rows = list(csv.reader(io.StringIO(text)))
    return {row[1] for row in rows[1:] if len(row) > 1 and matches(row)}


def scrub_exports(
    exports_root: Path,
    keys: set[str],
    identifiers: set[str],
    suppression: Suppression,
    sent: dict[str, set[str]],
    notice_name: str,
) -> ExportScrub:
    """Rewrite every export file without the subjects' rows; write erasure notices where they were sent.

    ``sent``: destination -> the subjects' keys in its last export state (deltas name the earlier ones).
    """
    outcome = ExportScrub()
    if not exports_root.exists():
        return outcome
    matches = _cells_matcher(keys, vendor_digests(identifiers), suppression)
    for destination in sorted(p for p in exports_root.iterdir() if p.is_dir()):
        removed_keys: set[str] = set()
        for segment in sorted(p for p in destination.iterdir() if p.is_dir() and p.name != "erasures"):
            changed: dict[str, bytes] = {}
            for path in sorted([*segment.glob("full-*"), *segment.glob("deltas/*.csv")]):
                data = path.read_bytes()
                if path.parent.name == "deltas":
                    removed_keys |= _delta_keys(data.decode("utf-8"), matches)
                has_header = path.suffix == ".csv"
                rewrite = drop_records(
                    path.name, data, "csv" if has_header else "lines", lambda _, text: matches(_cells(text))
                )
                if rewrite is None:
                    continue
                write_atomic(path, rewrite.data)
                changed[path.relative_to(segment).as_posix()] = rewrite.data
                outcome.files += 1
                outcome.rows += len(rewrite.removed)
            if changed:
                outcome.files += _update_manifests(segment, changed)
        removed_keys |= sent.get(destination.name, set())
        if removed_keys:
            outcome.destinations[destination.name] = removed_keys
            notice = "change,customer_key\n" + "".join(f"erased,{key}\n" for key in sorted(removed_keys))
            write_atomic(destination / "erasures" / f"{notice_name}.csv", notice.encode("utf-8"))
    return outcome


def _update_manifests(segment: Path, changed: dict[str, bytes]) -> int:
    """Checksums and counts of rewritten files, in every manifest naming them; how many manifests changed."""
    updated = 0
    newest = segment / "manifest.json"
    for path in [*sorted(segment.glob("manifests/*.json")), newest]:
        if not path.exists():
            continue
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest.get("files", {})
        touched = False
        for role in ("full", "delta"):
            entry = files.get(role)
            if entry and entry["path"] in changed:
                data = changed[entry["path"]]
                entry["sha256"] = hashlib.sha256(data).hexdigest()
                if role == "full":
                    entry["rows"] = len(read_full(segment / entry["path"], FORMATS[manifest["format"]]))
                else:
                    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))[1:]
                    entry["added"] = sum(1 for row in rows if row and row[0] == "added")
                    entry["removed"] = sum(1 for row in rows if row and row[0] == "removed")
                touched = True
        if touched:
            manifest["rewritten_for_erasure"] = True
            write_atomic(path, render_manifest(manifest))
            updated += 1
    return updated
