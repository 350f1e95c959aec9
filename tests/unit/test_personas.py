"""Personas: deterministic for a seed, numbered by size, labelled by what sets them apart."""

import pandas as pd

from orchestration.lib.segments.personas import fit_personas


def profiles() -> pd.DataFrame:
    rows = []
    for i in range(60):  # window shoppers: never ordered
        rows.append(
            dict(
                customer_key=f"w{i:03d}",
                has_ordered=0,
                orders_total=0,
                revenue_total=0,
                average_order_value=0,
                days_since_last_order=None,
                store_share=0,
                email_engagement_90d=0,
                winter_item_views_season=0,
                declared_style=None,
                declared_budget=None,
                inferred_top_category=None,
                inferred_device_type="web",
                lifecycle_stage="prospect",
            )
        )
    for i in range(30):  # loyal store shoppers who spend a lot on outerwear
        rows.append(
            dict(
                customer_key=f"s{i:03d}",
                has_ordered=1,
                orders_total=12 + i % 3,
                revenue_total=300000 + i,
                average_order_value=25000,
                days_since_last_order=10 + i,
                store_share=0.9,
                email_engagement_90d=1,
                winter_item_views_season=0,
                declared_style="classic",
                declared_budget="over_30000",
                inferred_top_category="outerwear",
                inferred_device_type="web",
                lifecycle_stage="active",
            )
        )
    return pd.DataFrame(rows).sample(frac=1, random_state=1).sort_values("customer_key").reset_index(drop=True)


def test_personas_are_deterministic_numbered_by_size_and_readable():
    assignments, personas = fit_personas(profiles(), personas=2, seed=7)
    again, _ = fit_personas(profiles(), personas=2, seed=7)
    assert assignments.equals(again)
    assert [(p.persona_id, p.size) for p in personas] == [(1, 60), (2, 30)]
    by_key = dict(zip(assignments.customer_key, assignments.persona_id, strict=True))
    assert {by_key[f"w{i:03d}"] for i in range(60)} == {1} and {by_key[f"s{i:03d}"] for i in range(30)} == {2}
    assert "never ordered" in personas[0].traits
    assert "store shoppers" in personas[1].traits or "frequent buyers" in personas[1].traits
    assert all(" · " in p.label for p in personas)


def test_no_profiles_no_personas():
    assignments, personas = fit_personas(profiles().iloc[0:0], personas=3, seed=1)
    assert assignments.empty and personas == []
