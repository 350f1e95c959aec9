"""Profiles on hand-made cases: lifecycle stages, RFM scores and segments, order traits."""

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs as load_defs
from orchestration.lib.settings import Settings
from tests.landing_builders import form_response, segment, shopify_order_row, shopify_orders_csv, write

pytestmark = pytest.mark.slow

# as of 2026-11-01 (the kizuna_home fixture): name -> order dates (each order a different amount)
ORDERS = {
    "new": ["2026-10-20"],
    "active": ["2025-01-05", "2025-06-01", "2025-12-01", "2026-04-01", "2026-09-15"],
    "atrisk": ["2025-11-01", "2026-02-01", "2026-06-01"],
    "lapsed": ["2025-10-01", "2026-01-15"],
    "churned": ["2025-06-01"],
}


def test_lifecycle_rfm_and_order_traits(kizuna_home):
    rows, n = [], 0
    for who, dates in ORDERS.items():
        for i, day in enumerate(dates):
            n += 1
            amount = 1000 + 500 * i + (100 if who != "churned" else 0)
            rows.append(
                shopify_order_row(f"#HM{n:04d}", 7000 + n, f"{who}.buyer@gmail.com", f"{day} 12:00:00 +0900", amount)
            )
    write(kizuna_home, "shopify_orders/orders.csv", shopify_orders_csv(rows))
    write(
        kizuna_home,
        "events/browse.jsonl",
        [
            segment(
                "p1",
                "identify",
                "2026-10-30T00:00:00Z",
                "dev-p",
                "6200000009999",
                traits={"email": "window.shopper@gmail.com"},
            )
        ],
    )
    with dg.DagsterInstance.ephemeral() as instance:
        assert load_defs().resolve_job_def("materialize_everything").execute_in_process(instance=instance).success

    with duckdb.connect(str(Settings.from_env().warehouse), read_only=True) as con:
        profiles = {
            email.split(".")[0]: row
            for email, *row in con.execute("""
            SELECT best_email, lifecycle_stage, orders_total, revenue_total, average_order_value, recency_days,
                   r_score, f_score, rfm_segment
            FROM marts.customer_profiles""").fetchall()
        }

    assert {who: p[0] for who, p in profiles.items()} == {
        "new": "new",
        "active": "active",
        "atrisk": "at_risk",
        "lapsed": "lapsed",
        "churned": "churned",
        "window": "prospect",
    }
    active = profiles["active"]
    assert active[1:5] == [5, 1100 + 1600 + 2100 + 2600 + 3100, (1100 + 1600 + 2100 + 2600 + 3100) / 5, 47]
    # recency ranks the five buyers 5..1; frequency by orders, then revenue
    assert {who: (p[5], p[6], p[7]) for who, p in profiles.items() if who != "window"} == {
        "new": (5, 2, "potential_loyalists"),
        "active": (4, 5, "loyal_customers"),
        "atrisk": (3, 4, "loyal_customers"),
        "lapsed": (2, 3, "at_risk"),
        "churned": (1, 1, "hibernating"),
    }
    assert profiles["window"][1:] == [0, 0, None, None, None, None, None]


def test_next_question_respects_priority_prerequisites_cooldown_and_pace(kizuna_home):
    def hidden(who):
        return {"customer_id": f"62000000000{who}"}

    write(
        kizuna_home,
        "events/people.jsonl",
        [
            segment(
                f"id-{who}",
                "identify",
                "2026-06-01T00:00:00Z",
                f"dev-{who}",
                f"62000000000{who}",
                traits={"email": f"person{who}@gmail.com"},
            )
            for who in ("01", "02", "03")
        ],
    )
    write(
        kizuna_home,
        "zero_party/forms.jsonl",
        [
            # A: told us categories and size in July, style in August; birthday never asked
            form_response(
                "a1",
                "Pr3fCntr",
                "2026-07-01T00:00:00Z",
                hidden("01"),
                ["favourite_categories", "top_size"],
                {"favourite_categories": ["tops"], "top_size": "M"},
            ),
            form_response(
                "a2", "StyLQuiz", "2026-08-01T00:00:00Z", hidden("01"), ["style", "budget"], {"style": "minimal"}
            ),
            # B: asked four questions a week ago: enough for this period
            form_response(
                "b1",
                "Xy1SgnUp",
                "2026-10-25T00:00:00Z",
                hidden("02"),
                ["birthday", "newsletter_topics", "favourite_colours", "style"],
                {"newsletter_topics": ["sale"]},
            ),
            # C: gave a birthday long ago; 42 days ago skipped categories and channel (cooldowns 60 and 90 days)
            form_response(
                "c1", "Xy1SgnUp", "2025-03-01T00:00:00Z", hidden("03"), ["birthday"], {"birthday": "1990-04-01"}
            ),
            form_response(
                "c2",
                "Pr3fCntr",
                "2026-09-20T00:00:00Z",
                hidden("03"),
                ["favourite_categories", "preferred_channel"],
                {},
            ),
        ],
    )
    with dg.DagsterInstance.ephemeral() as instance:
        assert load_defs().resolve_job_def("materialize_everything").execute_in_process(instance=instance).success
    with duckdb.connect(str(Settings.from_env().warehouse), read_only=True) as con:
        rows = {
            email: rest
            for email, *rest in con.execute("""
            SELECT p.best_email, q.next_question_id, q.profile_completeness, q.questions_asked_in_period,
                   q.next_question_channels
            FROM marts.customer_next_questions AS q
            JOIN marts.customer_profiles AS p USING (customer_key)""").fetchall()
        }
    assert rows["person01@gmail.com"] == ["q_birthday", round(7 / 18, 3), 0, "web;email;line;store"]
    assert rows["person02@gmail.com"][0] is None and rows["person02@gmail.com"][2] == 4  # paced: wait
    assert rows["person03@gmail.com"][0] is None  # cooldowns, and every other question needs those answers first
    assert rows["person03@gmail.com"][1] == round(2 / 18, 3)
