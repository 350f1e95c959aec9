"""Expectation suites, as code: what the data must look like beyond what dbt tests say.

Each suite names the query whose result it validates, so a check reads just what it needs from DuckDB
(distinct identifiers, a few columns), the Dagster check it runs as, and whether that check blocks what is
downstream (the suites that protect exports do). Expectations are plain data here; Great Expectations (slow
to import) builds them only when a validation runs.

A guard compares a share with the same share at the last passing validation, so that a collapse between
runs (half the profiles losing their e-mail) stops the run even when every single value is well formed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

E164 = r"^\+[1-9][0-9]{7,14}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


@dataclass(frozen=True)
class Guard:
    """The mean of ``column`` (a 0/1 share) may fall by at most ``max_drop`` of its last passing value."""

    metric: str
    column: str
    max_drop: float = 0.5


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    asset: tuple[str, ...]  # the Dagster asset key it guards
    check: str  # the asset check's name
    description: str
    query: str
    expectations: tuple[tuple[str, dict[str, Any]], ...]  # (GX expectation class, its arguments)
    blocking: bool = False
    guards: tuple[Guard, ...] = ()
    also_reads: tuple[tuple[str, ...], ...] = ()  # other assets the query reads: the check runs after them
    # SQL returning (name, value) rows: numbers in the check's metadata, which the UI plots across evaluations
    trend: str | None = None
    # judge what arrived since the suite last passed: the query and the trend read the parameter
    # $passed_through (NULL until a first pass), and the query returns judged_through, kept when it passes
    since_last_pass: bool = False
    # a column naming each validated row (a file): the check's metadata names the rows out of bounds
    row_label: str | None = None

    def rows_out_of_bounds(self, frame) -> list[str]:
        """The labels of the rows that break a bound of an ExpectColumnValuesToBeBetween (NULLs pass, as in GX)."""
        if self.row_label is None:
            return []
        import pandas as pd

        out = pd.Series(False, index=frame.index)
        for kind, kwargs in self.expectations:
            if kind == "ExpectColumnValuesToBeBetween":
                values = frame[kwargs["column"]]
                if kwargs.get("min_value") is not None:
                    out |= values < kwargs["min_value"]
                if kwargs.get("max_value") is not None:
                    out |= values > kwargs["max_value"]
        return frame.loc[out, self.row_label].tolist()

    def build(self, previous: dict[str, float] | None = None):
        import great_expectations as gx

        expectations = [getattr(gx.expectations, kind)(**kwargs) for kind, kwargs in self.expectations]
        for guard in self.guards:
            last = (previous or {}).get(guard.metric)
            if last is not None:
                floor = round(last * (1 - guard.max_drop), 6)
                expectations.append(gx.expectations.ExpectColumnMeanToBeBetween(column=guard.column, min_value=floor))
        return gx.ExpectationSuite(name=self.name, expectations=expectations)


def arrived_since_last_pass(column: str) -> str:
    """The condition for rows whose ``column`` (a load or build time) is past the suite's mark."""
    return f"{column} > coalesce(CAST($passed_through AS TIMESTAMPTZ), '-infinity'::TIMESTAMPTZ)"


def identifier_formats(table: str, email: str | None, phone: str | None, new_rows: str) -> SuiteSpec:
    """Normalised identifiers are either NULL or well-formed: the normaliser macros let no junk through.

    Judged: the rows that came since the suite last passed, by ``new_rows``: ``staged_at`` for a table staged
    by appends (macros/incremental.sql; a rebuild stamps every row again, so all are judged again),
    ``loaded_at`` for a view over raw. Earlier rows were judged when they came, and a daily check should not
    read the whole history; rows of a build whose check failed are judged again until it passes."""
    parts = [
        f"SELECT DISTINCT '{kind}' AS kind, {column} AS value, (SELECT max({new_rows}) FROM judged) AS judged_through "
        f"FROM judged WHERE {column} IS NOT NULL"
        for kind, column in (("email", email), ("phone", phone))
        if column
    ]
    columns = ", ".join(c for c in (email, phone, new_rows) if c)
    query = f"WITH judged AS (SELECT {columns} FROM staging.{table} WHERE {arrived_since_last_pass(new_rows)}) "
    return SuiteSpec(
        name=f"{table}__identifier_formats",
        asset=("staging", table),
        check="gx_identifier_formats",
        description="identifiers are well formed after normalisation (those staged since the check last passed)",
        query=query + " UNION ALL ".join(parts),
        expectations=(
            ("ExpectColumnValuesToNotBeNull", {"column": "value"}),
            ("ExpectColumnValuesToBeInSet", {"column": "kind", "value_set": ["email", "phone"]}),
            ("ExpectColumnValuesToMatchRegex", {"column": "value", "regex": f"{EMAIL}|{E164}"}),
            # once normalised, no identifier carries white space or upper case
            ("ExpectColumnValuesToNotMatchRegex", {"column": "value", "regex": r"[A-Z\s]"}),
        ),
        since_last_pass=True,
    )


FILE_MIN_ROWS = 50  # a file this large is judged on its own; smaller ones are judged together


def raw_emails(source: str, column: str = "email") -> SuiteSpec:
    """Almost every e-mail a vendor sends looks like one: a file of junk stops the run at the door.

    Judged: every file loaded since the gate last passed, each on its own. Against the whole history, or
    pooled with the files around it, a broken file would be a rounding error and the check would pass while
    the junk flows on; judged on the latest load only, a good file after the junk one would reopen the gate
    and the next build would stage both. So a failed gate stays failed until the bad file is taken out
    (``kizuna reject``). A file whose e-mails are mostly blank (an export with the column emptied) fails too.
    Files under FILE_MIN_ROWS rows say little alone and are judged together. DuckDB measures the shares and
    Great Expectations judges them: a full export of a large shop is hundreds of thousands of rows, which the
    check need not carry into pandas one by one."""
    arrived = f"""
        WITH arrived AS (
            SELECT _file, nullif(trim({column}), '') AS email, _loaded_at FROM raw.{source}
            WHERE {arrived_since_last_pass("_loaded_at")}
        )"""
    return SuiteSpec(
        name=f"raw_{source}__emails",
        asset=("raw", source),
        check="gx_emails_look_like_emails",
        description=(
            "in every file loaded since the gate last passed, at least 95 % of the non-empty e-mails look like "
            f"e-mail addresses and at least half of the rows carry one (files under {FILE_MIN_ROWS} rows are "
            "judged together)"
        ),
        query=f"""{arrived},
        files AS (
            SELECT CASE WHEN count(*) OVER (PARTITION BY _file) >= {FILE_MIN_ROWS} THEN _file
                        ELSE 'files under {FILE_MIN_ROWS} rows, together' END AS file,
                   email, _loaded_at
            FROM arrived
        )
        SELECT file,
               avg(CASE WHEN regexp_matches(lower(email), '{EMAIL}') THEN 1.0 ELSE 0.0 END)
                   FILTER (WHERE email IS NOT NULL) AS share_like_email,
               CASE WHEN count(*) >= {FILE_MIN_ROWS}
                    THEN avg(CASE WHEN email IS NOT NULL THEN 1.0 ELSE 0.0 END) END AS share_with_email,
               max(_loaded_at) AS judged_through
        FROM files GROUP BY file ORDER BY file""",
        expectations=(
            ("ExpectColumnValuesToBeBetween", {"column": "share_like_email", "min_value": 0.95}),
            ("ExpectColumnValuesToBeBetween", {"column": "share_with_email", "min_value": 0.5}),
        ),
        blocking=True,
        trend=f"{arrived} SELECT 'rows_judged', count(*) FROM arrived UNION ALL "
        "SELECT 'emails_judged', count(email) FROM arrived UNION ALL "
        "SELECT 'files_judged', count(DISTINCT _file) FROM arrived",
        since_last_pass=True,
        row_label="file",
    )


CUSTOMER_PROFILES = SuiteSpec(
    name="customer_profiles__shape",
    asset=("marts", "customer_profiles"),
    check="gx_profiles_shape",
    description=(
        "scores 1-5, known lifecycle stages, no negative orders or revenue, P(alive) in [0, 1]; the share of "
        "profiles with a reachable e-mail or phone does not collapse between runs"
    ),
    query="""
        SELECT
            lifecycle_stage, r_score, f_score, m_score, orders_total, revenue_total, probability_alive,
            CASE WHEN best_email IS NOT NULL THEN 1 ELSE 0 END AS has_email,
            CASE WHEN best_email IS NOT NULL OR best_phone IS NOT NULL THEN 1 ELSE 0 END AS is_reachable
        FROM marts.customer_profiles""",
    expectations=(
        (
            "ExpectColumnValuesToBeInSet",
            {
                "column": "lifecycle_stage",
                "value_set": ["prospect", "new", "active", "at_risk", "lapsed", "churned"],
            },
        ),
        ("ExpectColumnValuesToBeBetween", {"column": "r_score", "min_value": 1, "max_value": 5}),
        ("ExpectColumnValuesToBeBetween", {"column": "f_score", "min_value": 1, "max_value": 5}),
        ("ExpectColumnValuesToBeBetween", {"column": "m_score", "min_value": 1, "max_value": 5}),
        ("ExpectColumnValuesToBeBetween", {"column": "orders_total", "min_value": 0}),
        ("ExpectColumnValuesToBeBetween", {"column": "revenue_total", "min_value": 0}),
        ("ExpectColumnValuesToBeBetween", {"column": "probability_alive", "min_value": 0, "max_value": 1}),
    ),
    blocking=True,
    guards=(Guard("profiles_with_email_share", "has_email"), Guard("profiles_reachable_share", "is_reachable")),
    also_reads=(("marts", "customer_next_questions"),),
    trend="""
        SELECT 'people_with_completeness/' || lpad(CAST(least(CAST(floor(profile_completeness * 10) AS INTEGER), 9) * 10
                   AS VARCHAR), 2, '0') || '%+', count(*)
        FROM marts.customer_next_questions GROUP BY 1 ORDER BY 1""",
)

CUSTOMER_CONSENTS = SuiteSpec(
    name="customer_consents__shape",
    asset=("marts", "customer_consents"),
    check="gx_consents_shape",
    description=(
        "known purposes, channels and statuses; every person has a profile; is_granted exactly when the status "
        "is a grant; the share of grants does not collapse between runs"
    ),
    query="""
        SELECT consents.purpose, consents.channel, consents.status,
               CAST(consents.is_granted = (consents.status = 'granted') AS INTEGER) AS granted_matches_status,
               CAST(purposes.purpose IS NOT NULL AS INTEGER) AS is_configured,
               CAST(profiles.customer_key IS NOT NULL AS INTEGER) AS has_profile,
               CAST(consents.is_granted AS INTEGER) AS granted
        FROM marts.customer_consents AS consents
        LEFT JOIN config.consent_purposes AS purposes
            ON purposes.purpose = consents.purpose AND purposes.channel = consents.channel
        LEFT JOIN marts.customer_profiles AS profiles ON profiles.customer_key = consents.customer_key""",
    expectations=(
        ("ExpectColumnValuesToBeInSet", {"column": "status", "value_set": ["granted", "withdrawn", "not_subscribed"]}),
        ("ExpectColumnValuesToBeInSet", {"column": "granted_matches_status", "value_set": [1]}),
        ("ExpectColumnValuesToBeInSet", {"column": "is_configured", "value_set": [1]}),
        ("ExpectColumnValuesToBeInSet", {"column": "has_profile", "value_set": [1]}),
    ),
    blocking=True,
    guards=(Guard("consents_granted_share", "granted"),),
    also_reads=(("marts", "customer_profiles"),),
)

SEGMENT_MEMBERSHIPS = SuiteSpec(
    name="segment_memberships__history",
    asset=("marts", "segment_memberships"),
    check="gx_memberships_history",
    description="every open stay belongs to a defined segment and to an existing profile; no stay ends before it began",
    query="""
        SELECT
            CAST(memberships.exited_at IS NULL OR memberships.exited_at >= memberships.entered_at AS INTEGER)
                AS is_ordered,
            CAST(memberships.exited_at IS NOT NULL OR definitions.segment_name IS NOT NULL AS INTEGER)
                AS is_defined,
            CAST(memberships.exited_at IS NOT NULL OR profiles.customer_key IS NOT NULL AS INTEGER)
                AS has_profile
        FROM marts.segment_memberships AS memberships
        LEFT JOIN segments.segment_definitions AS definitions USING (segment_name)
        LEFT JOIN marts.customer_profiles AS profiles USING (customer_key)""",
    expectations=(
        ("ExpectColumnValuesToBeInSet", {"column": "is_ordered", "value_set": [1]}),
        ("ExpectColumnValuesToBeInSet", {"column": "is_defined", "value_set": [1]}),
        ("ExpectColumnValuesToBeInSet", {"column": "has_profile", "value_set": [1]}),
    ),
    blocking=True,
    trend="""
        SELECT 'members/' || segment_name, count(*) FROM marts.segment_memberships
        WHERE exited_at IS NULL GROUP BY 1 ORDER BY 1""",
)

SUITES: tuple[SuiteSpec, ...] = (
    identifier_formats("stg_segment__events", "email", "phone", new_rows="staged_at"),
    identifier_formats("stg_shopify__customers", "email", "phone", new_rows="loaded_at"),
    identifier_formats("stg_shopify__orders", "email", "phone", new_rows="loaded_at"),
    identifier_formats("stg_pos__receipt_lines", None, "phone", new_rows="staged_at"),
    identifier_formats("stg_sendgrid__events", "email", None, new_rows="staged_at"),
    identifier_formats("stg_consent__decisions", "email", "phone", new_rows="staged_at"),
    raw_emails("shopify_customers"),
    raw_emails("shopify_orders"),
    raw_emails("email_engagement"),
    CUSTOMER_PROFILES,
    CUSTOMER_CONSENTS,
    SEGMENT_MEMBERSHIPS,
)
