"""Serialise records into landing files, with malformed lines injected and recorded.

Files are written under a hidden temporary name and renamed into place, which
is the landing-zone convention for "this file is complete" (see README).
"""

from __future__ import annotations

import csv
import io
import json
import random

# per JSON source: a field its contract requires, and a timestamp field
JSON_CORRUPTIONS = {
    "events": ("messageId", "timestamp"),
    "email_engagement": ("sg_event_id", "timestamp"),
    "zero_party": ("form_response", None),
    "consent_events": ("consentReceiptID", "consentTimestamp"),
    "deletion_requests": ("subject_request_id", "submitted_time"),
}
# per CSV source: a numeric column to spoil
CSV_CORRUPTIONS = {
    "shopify_customers": "Total Orders",
    "shopify_orders": "Lineitem quantity",
    "pos_transactions": "quantity",
}
BAD_LINE_RATE = 0.005


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def serialize_jsonl(source: str, records: list[dict], rng: random.Random) -> tuple[str, list[tuple[int, str]]]:
    required, time_key = JSON_CORRUPTIONS[source]
    lines: list[str] = []
    bad: list[tuple[int, str]] = []
    for record in records:
        text = _dumps(record)
        lines.append(text)
        if rng.random() < BAD_LINE_RATE:
            kind = rng.choice(["truncated", "missing_required", "bad_timestamp", "not_json"])
            if kind == "bad_timestamp" and time_key is None:
                kind = "missing_required"
            if kind == "truncated":
                broken = text[: len(text) // 2]
            elif kind == "not_json":
                broken = "<html><body>502 Bad Gateway</body></html>"
            elif kind == "missing_required":
                broken = _dumps({k: v for k, v in record.items() if k != required})
            else:
                broken = _dumps({**record, time_key: "yesterday afternoon"})
            lines.append(broken)
            bad.append((len(lines), kind))
    return "\n".join(lines) + "\n", bad


def serialize_csv(
    source: str, header: list[str], rows: list[list[str]], rng: random.Random
) -> tuple[str, list[tuple[int, str]]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    spoil = header.index(CSV_CORRUPTIONS[source])
    bad: list[tuple[int, str]] = []
    line = 2  # physical line where the next record starts (1 is the header)
    for row in rows:
        start = buffer.tell()
        writer.writerow(row)
        line_after = line + buffer.getvalue().count("\n", start)
        if rng.random() < BAD_LINE_RATE:
            kind = rng.choice(["wrong_field_count", "bad_number"])
            broken = row[:-3] if kind == "wrong_field_count" else [*row[:spoil], "two", *row[spoil + 1 :]]
            bad_start = buffer.tell()
            writer.writerow(broken)
            bad.append((line_after, kind))
            line_after += buffer.getvalue().count("\n", bad_start)
        line = line_after
    return buffer.getvalue(), bad
