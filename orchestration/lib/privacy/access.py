"""Access requests: a machine-readable bundle of everything Kizuna holds about the subject.

One JSON document per request (OpenDSR ``access`` or ``portability``), with a section per kind of data:
the profile, every identifier, attributes with their provenance, consent (current and every decision),
events, orders, e-mail engagement, form answers, segment memberships with history, and which exports the
person appeared in. Written once, atomically, under ``$KIZUNA_HOME/privacy/access/``; the run metadata
holds counts only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ..atomic import write_atomic
from ..exports.run import has_state
from .documents import request_document

KEYS = "(SELECT unnest(?::VARCHAR[]))"

# section -> query over the subject's customer keys (bound to ?), ordered so bundles are reproducible
SECTIONS: dict[str, str] = {
    "profile": f"SELECT * FROM marts.customer_profiles WHERE customer_key IN {KEYS} ORDER BY customer_key",
    "identities": f"""
        SELECT customer_key, identifier_type, identifier_value, first_seen_at, last_seen_at, records
        FROM marts.customer_identities WHERE customer_key IN {KEYS} ORDER BY identifier_type, identifier_value""",
    "attributes": f"""
        SELECT customer_key, attribute, value, kind, source, learnt_at, expires_at, is_current
        FROM marts.customer_attributes WHERE customer_key IN {KEYS} ORDER BY attribute, learnt_at""",
    "consents": f"""
        SELECT customer_key, purpose, channel, status, decided_at, source, policy_version
        FROM marts.customer_consents WHERE customer_key IN {KEYS} ORDER BY purpose, channel""",
    "consent_decisions": f"""
        SELECT customer_key, source, purpose, channel, status, decided_at, policy_version
        FROM intermediate.int_consent_decisions WHERE customer_key IN {KEYS} ORDER BY decided_at, purpose""",
    "events": f"""
        SELECT records.customer_key, events.message_id, events.event_type, events.event_name, events.page_name,
               events.product_id, events.device_type, events.event_at
        FROM staging.stg_segment__events AS events
        INNER JOIN intermediate.int_identity_record_customers AS records
            ON records.record_source = 'segment' AND records.record_id = events.message_id
        WHERE records.customer_key IN {KEYS} ORDER BY events.event_at, events.message_id""",
    "orders": f"""
        SELECT customer_key, order_id, channel, ordered_at, revenue
        FROM intermediate.int_customer_orders WHERE customer_key IN {KEYS} ORDER BY ordered_at, order_id""",
    "email_engagement": f"""
        SELECT records.customer_key, email.email, email.event_type, email.campaign_name, email.event_at
        FROM staging.stg_sendgrid__events AS email
        INNER JOIN intermediate.int_identity_record_customers AS records
            ON records.record_source = 'sendgrid' AND records.record_id = email.sg_event_id
        WHERE records.customer_key IN {KEYS} ORDER BY email.event_at, email.sg_event_id""",
    "form_answers": f"""
        SELECT records.customer_key, answers.form_id, answers.question_ref, answers.answer_text,
               answers.answer_choices, answers.submitted_at
        FROM staging.stg_typeform__answers AS answers
        INNER JOIN intermediate.int_identity_record_customers AS records
            ON records.record_source = 'form_response' AND records.record_id = answers.response_id
        WHERE records.customer_key IN {KEYS} ORDER BY answers.submitted_at, answers.answer_id""",
    "segment_memberships": f"""
        SELECT customer_key, segment_name, entered_at, exited_at, change_reason
        FROM marts.segment_memberships WHERE customer_key IN {KEYS} ORDER BY segment_name, entered_at""",
    "exports": f"""
        SELECT DISTINCT rows.customer_key, rows.destination, rows.segment_name, log.generated_at AS exported_at
        FROM exports.exported_rows AS rows
        INNER JOIN exports.export_log AS log
            ON log.export_id = rows.export_id AND log.destination = rows.destination
            AND log.segment_name = rows.segment_name
        WHERE rows.customer_key IN {KEYS} ORDER BY rows.destination, rows.segment_name""",
}


@dataclass(frozen=True)
class AccessRequest:
    request_id: str
    request_type: str
    regulation: str | None
    submitted_at: datetime | None
    customer_keys: tuple[str, ...]


def pending_requests(con: duckdb.DuckDBPyConnection, folder: Path) -> list[AccessRequest]:
    """Access and portability requests without a bundle yet."""
    rows = con.execute("""
        SELECT subject_request_id, any_value(request_type), any_value(regulation), any_value(submitted_at),
               list(customer_key ORDER BY customer_key) FILTER (WHERE customer_key IS NOT NULL)
        FROM intermediate.int_privacy_request_subjects
        WHERE request_type IN ('access', 'portability')
        GROUP BY subject_request_id ORDER BY subject_request_id""").fetchall()
    return [
        AccessRequest(request_id, kind, regulation, submitted, tuple(keys or ()))
        for request_id, kind, regulation, submitted, keys in rows
        if not request_document(folder, request_id).exists()
    ]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, keys: list[str]) -> list[dict]:
    cursor = con.execute(sql, [keys])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def build_bundle(con: duckdb.DuckDBPyConnection, request: AccessRequest, generated_at: datetime) -> dict:
    keys = list(request.customer_keys)
    exported = has_state(con)  # nothing was ever exported: no export tables to read
    sections = {
        name: _rows(con, sql, keys) if keys and (name != "exports" or exported) else []
        for name, sql in SECTIONS.items()
    }
    return {
        "subject_request_id": request.request_id,
        "subject_request_type": request.request_type,
        "regulation": request.regulation,
        "submitted_time": request.submitted_at,
        "generated_at": generated_at,
        "customer_keys": keys,
        "summary": {name: len(rows) for name, rows in sections.items()},
        "note": None if keys else "No data is held about the identities given in this request.",
        **sections,
    }


def write_bundles(con: duckdb.DuckDBPyConnection, folder: Path, generated_at: datetime) -> list[dict]:
    """A bundle for every pending request; what each holds, in counts (no personal data)."""
    written = []
    for request in pending_requests(con, folder):
        bundle = build_bundle(con, request, generated_at)
        data = json.dumps(bundle, indent=2, default=str, ensure_ascii=False) + "\n"
        write_atomic(request_document(folder, request.request_id), data.encode("utf-8"))
        written.append({"request_id": request.request_id, "people": len(request.customer_keys), **bundle["summary"]})
    return written
