"""An independent reading of consent, straight from the landing files and the generator's truth.

No SQL and no dbt: it parses the vendor files itself, knows who is behind each record from the truth, and
says whether a person's latest decision for a purpose is a grant (a withdrawal at the same instant wins).
Records the generator broke on purpose are skipped, as ingestion quarantines them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq


def _table(truth: Path, stem: str) -> list[dict]:
    rows: list[dict] = []
    for path in sorted(truth.glob(f"{stem}-*.parquet")):
        rows.extend(pq.read_table(path).to_pylist())
    return rows


class ConsentOracle:
    def __init__(self, landing: Path, truth: Path):
        self.bad = {(row["file"], row["line"]) for row in _table(truth, "bad_records")}
        self.person_of = {(r["source"], r["record_key"]): r["person_id"] for r in _table(truth, "records")}
        self.identifiers = _table(truth, "identifiers")
        self.decisions: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)  # (time, 1 = granted)
        self._ledger(landing)
        self._shopify(landing)
        self._sendgrid(landing)

    def _lines(self, landing: Path, folder: str):
        for path in sorted((landing / folder).glob("*")):
            relpath = str(path.relative_to(landing))
            for number, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
                if raw.strip() and (relpath, number) not in self.bad:
                    yield json.loads(raw)

    def _decide(self, source: str, key: str, purpose: str, at: float, granted: bool) -> None:
        person = self.person_of.get((source, key))
        if person:
            self.decisions[(person, purpose)].append((at, 1 if granted else 0))

    def _ledger(self, landing: Path) -> None:
        for receipt in self._lines(landing, "consent_events"):
            for service in receipt["services"]:
                for decision in service["purposes"]:
                    granted = decision.get("consentStatus", "granted") == "granted"
                    at = float(receipt["consentTimestamp"])
                    self._decide("consent_events", receipt["consentReceiptID"], decision["purpose"], at, granted)

    def _shopify(self, landing: Path) -> None:
        """A decision wherever a customer's flag differs from their previous export (by file time)."""
        snapshots: dict[tuple[str, str], list[tuple[float, str, bool]]] = defaultdict(list)
        for path in sorted((landing / "shopify_customers").glob("*.csv")):
            relpath, exported_at = str(path.relative_to(landing)), path.stat().st_mtime
            reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8", errors="replace")))
            for row in reader:
                if (relpath, reader.line_num) in self.bad:
                    continue
                customer = row["Customer ID"].lstrip("'")
                for column, purpose in (
                    ("Accepts Email Marketing", "email_marketing"),
                    ("Accepts SMS Marketing", "sms_marketing"),
                ):
                    snapshots[(customer, purpose)].append((exported_at, relpath, row[column] == "yes"))
        for (customer, purpose), seen in snapshots.items():
            previous = None
            for exported_at, _, subscribed in sorted(seen):
                if subscribed != previous:
                    self._decide("shopify_customers", customer, purpose, exported_at, subscribed)
                previous = subscribed

    def _sendgrid(self, landing: Path) -> None:
        for event in self._lines(landing, "email_engagement"):
            if event["event"] in ("unsubscribe", "group_unsubscribe", "spamreport"):
                self._decide(
                    "email_engagement", event["sg_event_id"], "email_marketing", float(event["timestamp"]), False
                )

    def is_granted(self, person: str, purpose: str) -> bool:
        decisions = self.decisions.get((person, purpose), [])
        if not decisions:
            return False
        latest = max(at for at, _ in decisions)
        return all(granted for at, granted in decisions if at == latest)

    def people_by_exported_value(self) -> dict[str, set[str]]:
        """Every way a vendor file may carry an identifier (plain, or hashed by Google's or Meta's rules)."""
        found: dict[str, set[str]] = defaultdict(set)
        for identifier in self.identifiers:
            kind, value, person = identifier["identifier_type"], identifier["identifier_value"], identifier["person_id"]
            if kind == "email":
                forms = [value.strip().lower(), _sha256(value.strip().lower())]
            elif kind == "phone":
                digits = "81" + value[1:].replace("-", "")
                forms = [_sha256("+" + digits), _sha256(digits)]
            elif kind == "line_user_id":
                forms = [value]
            else:
                continue
            for form in forms:
                found[form].add(person)
        return found


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def violations(home: Path) -> tuple[int, list[str]]:
    """(rows checked, rows whose person lacks a current grant) over every export file under ``home``."""
    oracle = ConsentOracle(home / "landing", home / "truth")
    people_by_value = oracle.people_by_exported_value()
    checked, problems = 0, []
    for manifest_path in sorted((home / "exports").glob("*/*/manifest.json")):
        manifest = json.loads(manifest_path.read_text())
        lines = list(csv.reader((manifest_path.parent / manifest["files"]["full"]["path"]).open()))
        has_header = manifest["format"] != "line_audience_txt"
        for row in lines[1:] if has_header else lines:
            checked += 1
            people = set().union(*(people_by_value.get(cell, set()) for cell in row))
            purposes = (manifest["purpose"], manifest["segment_purpose"])
            if not people or not all(oracle.is_granted(p, purpose) for p in people for purpose in purposes):
                problems.append(f"{manifest['destination']}/{manifest['segment']}: {row} -> {sorted(people)}")
    return checked, problems
