"""Hand-made landing files in the vendors' formats, for tests that need exact cases."""

import csv
import io
import json
from pathlib import Path

from orchestration.lib.sample.formats import SHOPIFY_CUSTOMERS_HEADER, SHOPIFY_ORDERS_HEADER


def segment(message_id: str, kind: str, at: str, anonymous_id: str, user_id: str | None = None, **fields) -> str:
    """One Segment Spec message as a JSON line."""
    message = {
        "messageId": message_id,
        "type": kind,
        "anonymousId": anonymous_id,
        "timestamp": at,
        "receivedAt": at,
        **fields,
    }
    if user_id:
        message["userId"] = user_id
    return json.dumps(message, ensure_ascii=False)


def form_response(token: str, form_id: str, submitted: str, hidden: dict, shown: list[str], answers: dict) -> str:
    """A Typeform webhook form_response: ``shown`` lists the questions (refs) the form showed; ``answers``
    maps some of them to a choice label (str) or several labels (list)."""

    def answer(ref, value):
        field = {"id": ref[:12], "type": "multiple_choice", "ref": ref}
        if isinstance(value, list):
            return {"type": "choices", "choices": {"labels": value}, "field": field}
        return {"type": "choice", "choice": {"label": value}, "field": field}

    return json.dumps(
        {
            "event_id": f"ev-{token}",
            "event_type": "form_response",
            "form_response": {
                "form_id": form_id,
                "token": token,
                "landed_at": submitted,
                "submitted_at": submitted,
                "hidden": hidden,
                "definition": {
                    "id": form_id,
                    "title": form_id,
                    "fields": [{"id": ref[:12], "ref": ref, "type": "multiple_choice", "title": ref} for ref in shown],
                },
                "answers": [answer(ref, value) for ref, value in answers.items()],
            },
        },
        ensure_ascii=False,
    )


def shopify_order_row(name: str, order_id: int, email: str, created: str, total: float, quantity: int = 1) -> list[str]:
    """The first (and only) export row of a one-line Shopify order; created like '2026-05-01 10:00:00 +0900'."""
    row = dict.fromkeys(SHOPIFY_ORDERS_HEADER, "")
    row.update(
        {
            "Name": name,
            "Id": str(order_id),
            "Email": email,
            "Financial Status": "paid",
            "Currency": "JPY",
            "Created at": created,
            "Paid at": created,
            "Subtotal": f"{total:.2f}",
            "Total": f"{total:.2f}",
            "Lineitem quantity": str(quantity),
            "Lineitem name": "Item",
            "Lineitem sku": "KZ-TOP-001",
            "Lineitem price": f"{total / max(quantity, 1):.2f}",
            "Source": "web",
        }
    )
    return [row[column] for column in SHOPIFY_ORDERS_HEADER]


def shopify_orders_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SHOPIFY_ORDERS_HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


def write(home: Path, relpath: str, content: str | list[str]) -> Path:
    """Put a landing file in place: text, or a list of lines."""
    text = "\n".join(content) if isinstance(content, list) else content
    path = home / "landing" / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n")
    return path


def epoch(at: str) -> int:
    """Seconds since the epoch for an ISO time such as '2026-05-01T10:00:00+09:00'."""
    from datetime import datetime

    return int(datetime.fromisoformat(at).timestamp())


def consent_receipt(receipt_id: str, at: str, identifiers: dict, purpose: str, channel: str, status: str) -> str:
    """One decision in the consent ledger: a Kantara v1.1 receipt with an ISO/IEC TS 27560 status."""
    return json.dumps(
        {
            "version": "KI-CR-v1.1.0",
            "jurisdiction": "JP",
            "consentTimestamp": epoch(at),
            "collectionMethod": "preference center",
            "consentReceiptID": receipt_id,
            "language": "ja",
            "piiPrincipalIdentifiers": identifiers,
            "policyVersion": "2026-04",
            "services": [
                {
                    "service": "Kizuna customer communications",
                    "purposes": [{"purpose": purpose, "channel": channel, "consentStatus": status}],
                }
            ],
        },
        ensure_ascii=False,
    )


def sendgrid_event(sg_event_id: str, at: str, email: str, event: str) -> str:
    """One SendGrid Event Webhook event."""
    return json.dumps({"sg_event_id": sg_event_id, "email": email, "event": event, "timestamp": epoch(at)})


def shopify_customers_csv(rows: list[dict[str, str]]) -> str:
    """A Shopify customers export; each row names some columns (e.g. Customer ID, Email, Accepts Email Marketing)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SHOPIFY_CUSTOMERS_HEADER)
    writer.writerows([[row.get(column, "") for column in SHOPIFY_CUSTOMERS_HEADER] for row in rows])
    return buffer.getvalue()


def set_mtime(path: Path, at: str) -> Path:
    """Date a landing file as its vendor would (an export keeps the time it was taken)."""
    import os

    os.utime(path, (epoch(at), epoch(at)))
    return path
