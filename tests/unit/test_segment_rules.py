"""Segment rules: what passes, and the message for each kind of mistake."""

from pathlib import Path

import pytest

from orchestration.lib.segments.definitions import SegmentDefinitionError, load_segments
from orchestration.lib.segments.rules import RuleError, compile_rule
from orchestration.lib.settings import DEFAULT_SEGMENTS_DIR

COLUMNS = {
    "orders_total": "BIGINT",
    "revenue_total": "DECIMAL(18,2)",
    "has_cold_winter": "BOOLEAN",
    "lifecycle_stage": "VARCHAR",
    "declared_newsletter_topics": "VARCHAR",
}


@pytest.mark.parametrize(
    ("rule", "sql"),
    [
        ("has_cold_winter and orders_total >= 2", '"has_cold_winter" AND "orders_total" >= 2'),
        ("lifecycle_stage in ('lapsed', 'at_risk')", "\"lifecycle_stage\" IN ('lapsed', 'at_risk')"),
        (
            "not has_cold_winter or orders_total between 1 and 3",
            'NOT "has_cold_winter" OR "orders_total" BETWEEN 1 AND 3',
        ),
        ("declared_newsletter_topics like '%sale%'", "\"declared_newsletter_topics\" LIKE '%sale%'"),
        ("lifecycle_stage is not null", 'NOT "lifecycle_stage" IS NULL'),
        ("revenue_total / orders_total > 5000", '"revenue_total" / "orders_total" > 5000'),
    ],
)
def test_plain_boolean_rules_compile_to_quoted_sql(rule, sql):
    assert compile_rule("s", rule, COLUMNS) == sql


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("orders_totl > 1", "names unknown column 'orders_totl' (did you mean 'orders_total'?)"),
        ("orders_total", "is not a boolean expression"),
        ("(select count(*) from raw.events) > 0", "uses SUBQUERY"),
        ("orders_total > 1; drop table marts.customer_profiles", "must be one expression"),
        ("lower(lifecycle_stage) = 'x'", "uses LOWER"),
        ("read_csv('/etc/passwd') is not null", "uses "),
        ("p.orders_total > 1", "use profile columns without a table name"),
        ("orders_total > 'many'", "compares number column 'orders_total' with text 'many'"),
        ("lifecycle_stage = 3", "compares text column 'lifecycle_stage' with number 3"),
        ("orders_total >", "does not parse"),
        ("  ", "is empty"),
    ],
)
def test_bad_rules_fail_naming_the_segment_and_the_problem(rule, message):
    with pytest.raises(RuleError) as error:
        compile_rule("winter_push", rule, COLUMNS)
    assert str(error.value).startswith("segment 'winter_push': rule ")
    assert message in str(error.value)


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_definition_files_report_every_problem_with_file_and_segment(tmp_path):
    write(
        tmp_path,
        "area.yml",
        """
segments:
  - name: good
    description: fine
    owner: team:crm
    maturity: one_to_many
    rule: orders_total >= 1
    purpose: email_marketing
    destinations: [klaviyo_contacts]
  - name: bad_rule
    description: names a column that does not exist
    owner: team:crm
    maturity: one_to_many
    rule: shoe_colour = 'red'
    purpose: email_marketing
    destinations: [klaviyo_contacts]
  - name: bad_route
    description: goes nowhere known
    owner: team:crm
    maturity: one_to_all
    rule: orders_total >= 1
    purpose: telepathy
    destinations: [fax]
""",
    )
    write(tmp_path, "broken.yml", "segments: [")
    with pytest.raises(SegmentDefinitionError) as error:
        load_segments(tmp_path, COLUMNS, {"email_marketing"}, {"klaviyo_contacts"})
    text = str(error.value)
    assert "area.yml: segment 'bad_rule': rule \"shoe_colour = 'red'\" names unknown column 'shoe_colour'" in text
    assert "area.yml: segment 'bad_route': maturity must be one of" in text
    assert "broken.yml: not valid YAML" in text
    assert "'good'" not in text


def test_versions_change_with_the_rule_and_the_shipped_library_is_valid(tmp_path):
    profile_columns = {
        **COLUMNS,
        **dict.fromkeys(
            ["is_loyalty_member", "is_birthday_month", "has_abandoned_cart"],
            "BOOLEAN",
        ),
        **dict.fromkeys(
            ["winter_item_views_season", "winter_item_orders_season", "discontinued_item_repeat_orders"],
            "BIGINT",
        ),
        **dict.fromkeys(["f_score", "m_score"], "BIGINT"),
        "declared_purchase_intent": "VARCHAR",
        "persona_label": "VARCHAR",
    }
    destinations = {"klaviyo_contacts", "google_ads_customer_match", "meta_custom_audience", "line_audience"}
    library = load_segments(DEFAULT_SEGMENTS_DIR, profile_columns, {"email_marketing", "personalization"}, destinations)
    assert len(library) >= 10
    assert {s.maturity for s in library} == {"one_to_many", "one_to_group", "one_to_few", "one_to_one"}

    first = library[0]

    def version_with(rule: str, description: str = "d") -> str:
        write(
            tmp_path,
            "one.yml",
            f"segments:\n  - {{name: {first.name}, description: {description}, owner: o, maturity: one_to_many, "
            f'rule: "{rule}", purpose: {first.purpose}, destinations: [{", ".join(first.destinations)}]}}\n',
        )
        return load_segments(tmp_path, profile_columns, {"email_marketing", "personalization"}, destinations)[0].version

    assert version_with(first.rule) == first.version  # same rule, purpose and destinations: same version
    assert version_with(first.rule, description="reworded") == first.version
    assert version_with("orders_total > 5") != first.version
