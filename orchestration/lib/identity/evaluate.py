"""Accuracy of identity resolution against the sample generator's ground truth.

Records are the unit: a Segment message, an order, a receipt, a form response,
a consent receipt, a customer export row, an e-mail event. A record belongs to
the customer of its most trusted identifier. Among records that share an exact
(normalised) identifier with another record of the same person:

- recall: of the pairs of such records that share an identifier and belong to
  one person, the share resolved to one customer;
- precision: of the pairs of such records resolved to one customer, the share
  that truly belong to one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# truth record sources -> the record_source names of int_identity_observations
SOURCE_NAMES = {
    "events": "segment",
    "shopify_customers": "shopify_customer",
    "shopify_orders": "shopify_order",
    "pos_transactions": "pos_receipt",
    "email_engagement": "sendgrid",
    "zero_party": "form_response",
    "consent_events": "consent_receipt",
}


@dataclass(frozen=True)
class Accuracy:
    records: int
    eligible_records: int
    precision: float
    recall: float
    customers: int
    people: int


def evaluate(con, truth_dir: Path) -> Accuracy:
    mapping = " ".join(f"WHEN '{t}' THEN '{o}'" for t, o in SOURCE_NAMES.items())
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _truth AS
        SELECT DISTINCT CASE source {mapping} END AS record_source, record_key AS record_id, person_id
        FROM read_parquet('{truth_dir.as_posix()}/records-*.parquet')
        WHERE source IN ({", ".join(f"'{t}'" for t in SOURCE_NAMES)})
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _resolved AS
        SELECT r.record_source, r.record_id, r.customer_key, t.person_id
        FROM intermediate.int_identity_record_customers AS r JOIN _truth AS t USING (record_source, record_id)
    """)
    # pairs of records of one person sharing an exact identifier
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _shared AS
        WITH obs AS (
            SELECT o.identifier_type, o.identifier_value, r.record_source || '|' || r.record_id AS record,
                   r.person_id, r.customer_key
            FROM intermediate.int_identity_record_nodes AS o
            JOIN _resolved AS r USING (record_source, record_id)
        )
        SELECT DISTINCT a.record AS record_a, b.record AS record_b, a.customer_key = b.customer_key AS together
        FROM obs AS a JOIN obs AS b
          ON a.identifier_type = b.identifier_type AND a.identifier_value = b.identifier_value
         AND a.person_id = b.person_id AND a.record < b.record
    """)
    recall_num, recall_den = con.execute("SELECT count(*) FILTER (WHERE together), count(*) FROM _shared").fetchall()[0]
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _eligible AS
        SELECT r.* FROM _resolved AS r
        WHERE r.record_source || '|' || r.record_id IN (SELECT record_a FROM _shared UNION SELECT record_b FROM _shared)
    """)
    pairs_together, pairs_right = con.execute("""
        SELECT (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM
                   (SELECT count(*) AS n FROM _eligible GROUP BY customer_key)),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM
                   (SELECT count(*) AS n FROM _eligible GROUP BY customer_key, person_id))
    """).fetchall()[0]
    records, eligible, customers, people = con.execute("""
        SELECT (SELECT count(*) FROM _resolved), (SELECT count(*) FROM _eligible),
               (SELECT count(DISTINCT customer_key) FROM _resolved), (SELECT count(DISTINCT person_id) FROM _resolved)
    """).fetchall()[0]
    return Accuracy(
        records=records,
        eligible_records=eligible,
        precision=float(pairs_right / pairs_together) if pairs_together else 1.0,
        recall=recall_num / recall_den if recall_den else 1.0,
        customers=customers,
        people=people,
    )
