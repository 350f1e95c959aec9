"""Expectation suites, as code: what the data must look like beyond what dbt tests say.

Each suite names the query whose result it validates, so a check reads just
what it needs from DuckDB (distinct identifiers, not every row). Expectations
are plain data here; Great Expectations (slow to import) builds them only when
a validation runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

E164 = r"^\+[1-9][0-9]{7,14}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    asset: tuple[str, ...]  # the Dagster asset key it guards
    query: str
    expectations: tuple[tuple[str, dict[str, Any]], ...]  # (GX expectation class, its arguments)

    def build(self):
        import great_expectations as gx

        return gx.ExpectationSuite(
            name=self.name,
            expectations=[getattr(gx.expectations, kind)(**kwargs) for kind, kwargs in self.expectations],
        )


def identifier_formats(table: str, email: str | None, phone: str | None) -> SuiteSpec:
    """Normalised identifiers are either NULL or well-formed: the normaliser macros let no junk through."""
    parts = []
    if email:
        parts.append(
            f"SELECT DISTINCT 'email' AS kind, {email} AS value FROM staging.{table} WHERE {email} IS NOT NULL"
        )
    if phone:
        parts.append(
            f"SELECT DISTINCT 'phone' AS kind, {phone} AS value FROM staging.{table} WHERE {phone} IS NOT NULL"
        )
    return SuiteSpec(
        name=f"{table}__identifier_formats",
        asset=("staging", table),
        query=" UNION ALL ".join(parts),
        expectations=(
            ("ExpectColumnValuesToNotBeNull", {"column": "value"}),
            ("ExpectColumnValuesToBeInSet", {"column": "kind", "value_set": ["email", "phone"]}),
            ("ExpectColumnValuesToMatchRegex", {"column": "value", "regex": f"{EMAIL}|{E164}"}),
            # once normalised, no identifier carries white space or upper case
            ("ExpectColumnValuesToNotMatchRegex", {"column": "value", "regex": r"[A-Z\s]"}),
        ),
    )


SUITES: tuple[SuiteSpec, ...] = (
    identifier_formats("stg_segment__events", "email", "phone"),
    identifier_formats("stg_shopify__customers", "email", "phone"),
    identifier_formats("stg_shopify__orders", "email", "phone"),
    identifier_formats("stg_pos__receipt_lines", None, "phone"),
    identifier_formats("stg_sendgrid__events", "email", None),
    identifier_formats("stg_consent__decisions", "email", "phone"),
)
