"""The landing-zone contract: one entry per source folder, in its vendor's format."""

from __future__ import annotations

from ..sample.formats import POS_HEADER, SHOPIFY_CUSTOMERS_HEADER, SHOPIFY_ORDERS_HEADER
from .contracts import Contract, Field, Rule, csv_fields

SEGMENT_TYPES = ("identify", "track", "page", "screen", "alias", "group")
SENDGRID_EVENTS = (
    "processed",
    "delivered",
    "deferred",
    "dropped",
    "bounce",
    "open",
    "click",
    "spamreport",
    "unsubscribe",
    "group_unsubscribe",
    "group_resubscribe",
)

EVENTS = Contract(
    source="events",
    format="jsonl",
    vendor="Segment",
    description="Segment Spec messages (identify, track, page, screen, alias) as JSON Lines.",
    fields=(
        Field("message_id", "$.messageId", required=True),
        Field("type", "$.type", "enum", required=True, values=SEGMENT_TYPES),
        Field("event", "$.event"),
        Field("name", "$.name"),
        Field("anonymous_id", "$.anonymousId"),
        Field("user_id", "$.userId"),
        Field("previous_id", "$.previousId"),
        Field("traits", "$.traits", "object"),
        Field("properties", "$.properties", "object"),
        Field("context", "$.context", "object"),
        Field("event_timestamp", "$.timestamp", "timestamp", required=True),
        Field("sent_at", "$.sentAt", "timestamp"),
        Field("received_at", "$.receivedAt", "timestamp"),
    ),
    rules=(
        Rule("anonymous_id IS NULL AND user_id IS NULL", "neither userId nor anonymousId"),
        Rule("type = 'track' AND event IS NULL", "track call without event"),
        Rule("type = 'alias' AND (previous_id IS NULL OR user_id IS NULL)", "alias call without previousId and userId"),
    ),
)

SHOPIFY_CUSTOMERS = Contract(
    source="shopify_customers",
    format="csv",
    vendor="Shopify",
    description="Shopify customers export (CSV, as the admin writes it).",
    fields=csv_fields(
        SHOPIFY_CUSTOMERS_HEADER,
        {
            "Customer ID": Field("customer_id", "Customer ID", "integer", required=True),
            "Accepts Email Marketing": Field(
                "accepts_email_marketing", "Accepts Email Marketing", "enum", values=("yes", "no")
            ),
            "Accepts SMS Marketing": Field(
                "accepts_sms_marketing", "Accepts SMS Marketing", "enum", values=("yes", "no")
            ),
            "Total Spent": Field("total_spent", "Total Spent", "number"),
            "Total Orders": Field("total_orders", "Total Orders", "integer"),
        },
    ),
)

SHOPIFY_ORDERS = Contract(
    source="shopify_orders",
    format="csv",
    vendor="Shopify",
    description="Shopify orders export (CSV): one row per line item, order columns on the first row of each order.",
    fields=csv_fields(
        SHOPIFY_ORDERS_HEADER,
        {
            "Name": Field("name", "Name", required=True),
            "Id": Field("id", "Id", "integer"),
            "Created at": Field("created_at", "Created at", "timestamp"),
            "Paid at": Field("paid_at", "Paid at", "timestamp"),
            "Fulfilled at": Field("fulfilled_at", "Fulfilled at", "timestamp"),
            "Cancelled at": Field("cancelled_at", "Cancelled at", "timestamp"),
            "Subtotal": Field("subtotal", "Subtotal", "number"),
            "Shipping": Field("shipping", "Shipping", "number"),
            "Taxes": Field("taxes", "Taxes", "number"),
            "Total": Field("total", "Total", "number"),
            "Discount Amount": Field("discount_amount", "Discount Amount", "number"),
            "Refunded Amount": Field("refunded_amount", "Refunded Amount", "number"),
            "Lineitem quantity": Field("lineitem_quantity", "Lineitem quantity", "integer", required=True),
            "Lineitem price": Field("lineitem_price", "Lineitem price", "number", required=True),
            "Lineitem discount": Field("lineitem_discount", "Lineitem discount", "number"),
        },
    ),
    rules=(Rule("id IS NOT NULL AND created_at IS NULL", "first row of an order without Created at"),),
    record_group="Name",
)

POS_TRANSACTIONS = Contract(
    source="pos_transactions",
    format="csv",
    vendor="POS back office",
    description="Store receipts (CSV): one row per receipt line, identified by loyalty card and/or phone.",
    fields=csv_fields(
        POS_HEADER,
        {
            "receipt_id": Field("receipt_id", "receipt_id", required=True),
            "store_id": Field("store_id", "store_id", required=True),
            "transacted_at": Field("transacted_at", "transacted_at", "timestamp", required=True),
            "line_number": Field("line_number", "line_number", "integer", required=True),
            "sku": Field("sku", "sku", required=True),
            "quantity": Field("quantity", "quantity", "integer", required=True),
            "unit_price": Field("unit_price", "unit_price", "number", required=True),
            "line_amount": Field("line_amount", "line_amount", "number"),
        },
    ),
    record_group="receipt_id",
)

EMAIL_ENGAGEMENT = Contract(
    source="email_engagement",
    format="jsonl",
    vendor="SendGrid",
    description="SendGrid Event Webhook events, one JSON object per line.",
    fields=(
        Field("sg_event_id", "$.sg_event_id", required=True),
        Field("sg_message_id", "$.sg_message_id"),
        Field("email", "$.email", required=True),
        Field("event", "$.event", "enum", required=True, values=SENDGRID_EVENTS),
        Field("event_timestamp", "$.timestamp", "epoch", required=True),
        Field("category", "$.category", "json"),
        Field("url", "$.url"),
        Field("useragent", "$.useragent"),
        Field("ip", "$.ip"),
        Field("reason", "$.reason"),
        Field("status", "$.status"),
        Field("bounce_type", "$.type"),
        Field("bounce_classification", "$.bounce_classification"),
        Field("asm_group_id", "$.asm_group_id", "integer"),
        Field("marketing_campaign_name", "$.marketing_campaign_name"),
        Field("sg_machine_open", "$.sg_machine_open"),
    ),
)

ZERO_PARTY = Contract(
    source="zero_party",
    format="jsonl",
    vendor="Typeform",
    description=(
        "Form responses in the Typeform webhook shape "
        "(signup, preference center, quiz, survey, poll, loyalty enrollment)."
    ),
    fields=(
        Field("event_id", "$.event_id", required=True),
        Field("event_type", "$.event_type", "enum", required=True, values=("form_response",)),
        Field("form_id", "$.form_response.form_id", required=True),
        Field("token", "$.form_response.token", required=True),
        Field("landed_at", "$.form_response.landed_at", "timestamp"),
        Field("submitted_at", "$.form_response.submitted_at", "timestamp", required=True),
        Field("hidden", "$.form_response.hidden", "object"),
        Field("definition", "$.form_response.definition", "object"),
        Field("answers", "$.form_response.answers", "array", required=True),
    ),
)

CONSENT_EVENTS = Contract(
    source="consent_events",
    format="jsonl",
    vendor="Kantara Consent Receipt v1.1",
    description="Consent ledger: one consent receipt (one decision) per line.",
    fields=(
        Field("consent_receipt_id", "$.consentReceiptID", required=True),
        Field("receipt_version", "$.version"),
        Field("jurisdiction", "$.jurisdiction", required=True),
        Field("consent_timestamp", "$.consentTimestamp", "epoch", required=True),
        Field("collection_method", "$.collectionMethod", required=True),
        Field("language", "$.language"),
        Field("pii_principal_id", "$.piiPrincipalId"),
        Field("subject_identifiers", "$.piiPrincipalIdentifiers", "object", required=True),
        Field("policy_url", "$.policyUrl"),
        Field("policy_version", "$.policyVersion"),
        Field("services", "$.services", "array", required=True),
    ),
    rules=(Rule("json_array_length(services) = 0", "receipt lists no service"),),
)

DELETION_REQUESTS = Contract(
    source="deletion_requests",
    format="jsonl",
    vendor="OpenDSR",
    description="Data-subject requests (OpenDSR / OpenGDPR request JSON, one per line).",
    fields=(
        Field("subject_request_id", "$.subject_request_id", required=True),
        Field(
            "subject_request_type",
            "$.subject_request_type",
            "enum",
            required=True,
            values=("erasure", "access", "portability"),
        ),
        Field("submitted_time", "$.submitted_time", "timestamp", required=True),
        Field("subject_identities", "$.subject_identities", "array", required=True),
        Field("regulation", "$.regulation"),
        Field("api_version", "$.api_version"),
        Field("status_callback_urls", "$.status_callback_urls", "json"),
    ),
    rules=(Rule("json_array_length(subject_identities) = 0", "request names no subject identity"),),
)

CONTRACTS: dict[str, Contract] = {
    c.source: c
    for c in (
        EVENTS,
        SHOPIFY_CUSTOMERS,
        SHOPIFY_ORDERS,
        POS_TRANSACTIONS,
        EMAIL_ENGAGEMENT,
        ZERO_PARTY,
        CONSENT_EVENTS,
        DELETION_REQUESTS,
    )
}
