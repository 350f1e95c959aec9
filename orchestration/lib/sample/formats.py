"""Vendor record shapes: Segment, Shopify, POS, SendGrid, Typeform, Kantara, OpenDSR.

Each builder returns a record exactly as the vendor would deliver it, so that
real exports can be dropped into the landing zone in place of generated ones.
"""

from __future__ import annotations

from datetime import UTC, datetime

SHOPIFY_CUSTOMERS_HEADER = [
    "Customer ID",
    "First Name",
    "Last Name",
    "Email",
    "Accepts Email Marketing",
    "Default Address Company",
    "Default Address Address1",
    "Default Address Address2",
    "Default Address City",
    "Default Address Province Code",
    "Default Address Country Code",
    "Default Address Zip",
    "Default Address Phone",
    "Phone",
    "Accepts SMS Marketing",
    "Total Spent",
    "Total Orders",
    "Note",
    "Tax Exempt",
    "Tags",
]

SHOPIFY_ORDERS_HEADER = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
    "Tax 3 Name",
    "Tax 3 Value",
    "Tax 4 Name",
    "Tax 4 Value",
    "Tax 5 Name",
    "Tax 5 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
]

# Store receipts have no industry-standard export; this is the shape of a
# typical POS back-office CSV (one row per receipt line).
POS_HEADER = [
    "receipt_id",
    "store_id",
    "store_name",
    "register_id",
    "transacted_at",
    "loyalty_card_id",
    "phone",
    "line_number",
    "sku",
    "product_name",
    "category",
    "quantity",
    "unit_price",
    "line_amount",
    "payment_method",
]


def iso_z(moment: datetime) -> str:
    """Segment / Typeform timestamps: ISO-8601 in UTC with milliseconds and a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def shopify_time(moment: datetime) -> str:
    """Shopify exports write local time with a numeric offset: 2026-05-01 10:00:00 +0900."""
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())
