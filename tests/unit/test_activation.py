"""The activation report: which attributes segments and destinations use, and which nobody does."""

from datetime import UTC, datetime

import duckdb

from orchestration.lib.exports.destinations import Destination
from orchestration.lib.exports.run import ensure_state
from orchestration.lib.privacy.activation import activation_report

NOW = datetime(2026, 11, 1, tzinfo=UTC)
KLAVIYO = Destination("klaviyo", "Klaviyo", "klaviyo_csv", "email_marketing", "email", ("best_email",), 0.5, 20)


def test_uses_flow_from_rules_fields_and_derived_columns_and_unused_declarations_are_flagged(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("""
        CREATE SCHEMA segments;
        CREATE TABLE segments.segment_definitions (segment_name VARCHAR, rule_sql VARCHAR, destinations VARCHAR[]);
        INSERT INTO segments.segment_definitions VALUES
            ('birthdays', '"is_birthday_month"', ['klaviyo']),
            ('stylish', '"declared_style" = ''casual''', ['klaviyo']),
            ('nowhere', '"declared_budget" = ''over_30000''', []);
    """)
    ensure_state(con)
    for segment, at in (
        ("birthdays", datetime(2026, 10, 30, tzinfo=UTC)),
        ("stylish", datetime(2025, 1, 1, tzinfo=UTC)),
    ):
        con.execute(
            "INSERT INTO exports.export_log VALUES ('e', 'klaviyo', ?, 'v', 'exported', 1, 1, 0, 0, 0, ?, NULL)",
            [segment, at],
        )
    columns = [
        "customer_key",
        "best_email",
        "is_birthday_month",
        "declared_birthday",
        "declared_style",
        "declared_budget",
        "declared_skin_type",
    ]
    derived = {"is_birthday_month": {"declared_birthday"}}
    report = {a.attribute: a for a in activation_report(con, columns, {"klaviyo": KLAVIYO}, NOW, 180, derived)}

    assert "customer_key" not in report
    assert report["best_email"].destinations == ("klaviyo",) and not report["best_email"].is_purge_candidate
    assert report["declared_birthday"].segments == ("birthdays",)  # through is_birthday_month
    assert not report["declared_birthday"].is_purge_candidate
    assert report["declared_style"].is_purge_candidate  # last used in January 2025
    assert report["declared_budget"].segments == ("nowhere",) and report["declared_budget"].is_purge_candidate
    assert report["declared_skin_type"].last_used_at is None and report["declared_skin_type"].is_purge_candidate
    assert not report["is_birthday_month"].is_purge_candidate  # computed, not collected
