"""Each source contract, compiled to SQL and run on DuckDB, types good records and names what breaks."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pyarrow as pa
import pytest

from orchestration.lib.ingest.contracts import Contract, Field, compile_contract
from orchestration.lib.ingest.framing import frame_csv
from orchestration.lib.ingest.sources import CONTRACTS

LOADED_AT = datetime(2026, 11, 1, tzinfo=UTC)


def judge_jsonl(contract: Contract, records: list) -> list[dict]:
    texts = [r if isinstance(r, str) else json.dumps(r) for r in records]
    table = pa.table(
        {
            "_file": ["f.jsonl"] * len(texts),
            "_line": list(range(1, len(texts) + 1)),
            "_raw": texts,
            "_pre_reject": pa.array([None] * len(texts), pa.string()),
        }
    )
    return _run(contract, table)


def judge_csv(contract: Contract, text: str) -> list[dict]:
    framed = frame_csv(text.encode(), {f.origin: f.column for f in contract.fields}, contract.required_headers)
    assert framed.file_error is None, framed.file_error
    columns = {
        "_file": ["f.csv"] * len(framed),
        "_line": framed.lines,
        "_raw": framed.texts,
        "_pre_reject": pa.array(framed.pre_rejects, pa.string()),
    }
    columns.update({c: pa.array(v, pa.string()) for c, v in framed.cells.items()})
    return _run(contract, pa.table(columns))


def _run(contract: Contract, table: pa.Table) -> list[dict]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("_framed", table)
    cursor = con.execute(compile_contract(contract, "_framed"), {"loaded_at": LOADED_AT})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


SEGMENT_OK = {
    "messageId": "m1",
    "type": "track",
    "event": "Product Viewed",
    "anonymousId": "a1",
    "properties": {"sku": "X"},
    "timestamp": "2026-05-01T10:00:00.000Z",
}


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (SEGMENT_OK, None),
        ({**SEGMENT_OK, "type": "Track"}, None),  # enum values are compared case-insensitively
        ({k: v for k, v in SEGMENT_OK.items() if k != "messageId"}, "missing required field messageId"),
        ({**SEGMENT_OK, "messageId": "  "}, "missing required field messageId"),
        ({**SEGMENT_OK, "type": "trak"}, "field type has a value outside the allowed set"),
        ({**SEGMENT_OK, "timestamp": "yesterday"}, "field timestamp is not a timestamp"),
        ({**SEGMENT_OK, "properties": [1, 2]}, "field properties is not a JSON object"),
        ({k: v for k, v in SEGMENT_OK.items() if k != "event"}, "track call without event"),
        ({k: v for k, v in SEGMENT_OK.items() if k != "anonymousId"}, "neither userId nor anonymousId"),
        ({**SEGMENT_OK, "type": "alias", "previousId": "a1"}, "alias call without previousId and userId"),
        ("[1, 2, 3]", "line is not a JSON object"),
        ("<html>502</html>", "line is not valid JSON"),
    ],
)
def test_segment_contract(record, reason):
    (row,) = judge_jsonl(CONTRACTS["events"], [record])
    assert row["_reject_reason"] == reason
    if reason is None:
        assert row["event_timestamp"] == datetime(2026, 5, 1, 10, tzinfo=UTC)
        assert row["_rejected_text"] is None
    else:
        assert row["_rejected_text"] is not None  # the original text is kept for the quarantine


def test_sendgrid_epoch_and_category_array():
    (row,) = judge_jsonl(
        CONTRACTS["email_engagement"],
        [{"email": "a@b.jp", "timestamp": 1761955200, "event": "open", "sg_event_id": "e1", "category": ["sale"]}],
    )
    assert row["_reject_reason"] is None
    assert row["event_timestamp"] == datetime(2025, 11, 1, tzinfo=UTC)
    assert json.loads(row["category"]) == ["sale"]


def test_typeform_nested_required_fields():
    ok = {
        "event_id": "e",
        "event_type": "form_response",
        "form_response": {"form_id": "F", "token": "t", "submitted_at": "2026-01-01T00:00:00Z", "answers": []},
    }
    missing = {"event_id": "e2", "event_type": "form_response", "form_response": {"form_id": "F", "token": "t2"}}
    rows = judge_jsonl(CONTRACTS["zero_party"], [ok, missing])
    assert [r["_reject_reason"] for r in rows] == [None, "missing required field form_response.submitted_at"]


def test_consent_receipt_without_services_is_rejected():
    base = {
        "consentReceiptID": "r",
        "jurisdiction": "JP",
        "consentTimestamp": 1700000000,
        "collectionMethod": "web",
        "piiPrincipalIdentifiers": {"email": "a@b.jp"},
    }
    rows = judge_jsonl(CONTRACTS["consent_events"], [{**base, "services": []}, {**base, "services": [{}]}])
    assert [r["_reject_reason"] for r in rows] == ["receipt lists no service", None]


SHOPIFY_HEADER = "Customer ID,First Name,Email,Accepts Email Marketing,Total Spent,Total Orders\n"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("'6200000000017,花子,hanako@example.jp,yes,12000.00,3", None),
        (",花子,hanako@example.jp,yes,0,0", "missing required field Customer ID"),
        (
            "'6200000000017,花子,hanako@example.jp,maybe,0,0",
            "field Accepts Email Marketing has a value outside the allowed set",
        ),
        ("'6200000000017,花子,hanako@example.jp,no,¥12000,0", "field Total Spent is not a number"),
        ("'6200000000017,花子,hanako@example.jp,no,0,many", "field Total Orders is not an integer"),
        ("'6200000000017,花子", "expected 6 fields, found 2"),
    ],
)
def test_shopify_customers_contract(row, reason):
    (result,) = judge_csv(CONTRACTS["shopify_customers"], SHOPIFY_HEADER + row + "\n")
    assert result["_reject_reason"] == reason
    if reason is None:
        assert result["customer_id"] == 6200000000017  # the spreadsheet apostrophe is not part of the id
        assert result["total_spent"] == Decimal("12000.00")
        assert result["first_name"] == "花子"


def test_shopify_order_timestamps_with_numeric_offsets():
    text = (
        "Name,Id,Created at,Lineitem quantity,Lineitem price\n"
        "#1001,5001,2026-05-01 10:00:00 +0900,1,100.00\n#1001,,,2,50.00\n#1002,5002,,1,1\n"
    )
    rows = judge_csv(CONTRACTS["shopify_orders"], text)
    assert [r["_reject_reason"] for r in rows] == [None, None, "first row of an order without Created at"]
    assert rows[0]["created_at"] == datetime(2026, 5, 1, 1, tzinfo=UTC)


def test_field_declaration_errors():
    with pytest.raises(ValueError, match="unknown kind"):
        Field("x", "$.x", "date")
    with pytest.raises(ValueError, match="enum"):
        Field("x", "$.x", "enum")
