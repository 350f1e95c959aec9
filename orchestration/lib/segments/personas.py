"""Personas (one-to-group personalisation): people clustered on what they do and what they told the brand.

k-means over standardised behavioural features (orders, spend, recency, channel, e-mail engagement,
winter interest) and one-hot declared and inferred preferences (style, budget, top category, device).
Deterministic for a seed: people are sorted by key before fitting and personas are numbered by size.
Each persona gets a readable label from the features that set it apart most from everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

NUMERIC = {
    "has_ordered": ("buyers", "never ordered"),
    "orders_total": ("frequent buyers", "rare buyers"),
    "revenue_total": ("big spenders", "small spenders"),
    "average_order_value": ("large baskets", "small baskets"),
    "days_since_last_order": ("lapsing", "recent buyers"),
    "store_share": ("store shoppers", "online shoppers"),
    "email_engagement_90d": ("e-mail engaged", "e-mail quiet"),
    "winter_item_views_season": ("winter browsers", None),
}
# words that say nothing more once another is in the label
IMPLIED = {"never ordered": {"rare buyers", "small spenders", "small baskets", "online shoppers", "lifecycle prospect"}}
CATEGORICAL = {
    "declared_style": "style",
    "declared_budget": "budget",
    "inferred_top_category": "top category",
    "inferred_device_type": "device",
    "lifecycle_stage": "lifecycle",
}
FEATURES_SQL = """
SELECT
    customer_key,
    orders_total,
    revenue_total,
    coalesce(average_order_value, 0) AS average_order_value,
    CASE WHEN orders_total > 0 THEN 1 ELSE 0 END AS has_ordered,
    recency_days AS days_since_last_order,
    CASE WHEN orders_total > 0 THEN orders_store / orders_total ELSE 0 END AS store_share,
    email_opens_90d + email_clicks_90d AS email_engagement_90d,
    winter_item_views_season,
    declared_style, declared_budget, inferred_top_category, inferred_device_type, lifecycle_stage
FROM marts.customer_profiles
ORDER BY customer_key
"""


@dataclass(frozen=True)
class Persona:
    persona_id: int
    label: str
    size: int
    traits: tuple[str, ...]


def design_matrix(profiles: pd.DataFrame) -> pd.DataFrame:
    """Standardised numeric features (log-scaled where skewed) beside one-hot categorical ones."""
    numeric = profiles[list(NUMERIC)].astype(float)
    # recency means nothing for people who never ordered: give them the average, has_ordered tells them apart
    numeric["days_since_last_order"] = numeric["days_since_last_order"].fillna(numeric["days_since_last_order"].mean())
    numeric = numeric.fillna(0.0)
    skewed = [
        "orders_total",
        "revenue_total",
        "average_order_value",
        "email_engagement_90d",
        "winter_item_views_season",
    ]
    numeric[skewed] = np.log1p(numeric[skewed].clip(lower=0))
    spread = numeric.std(ddof=0).replace(0, 1.0)
    numeric = (numeric - numeric.mean()) / spread
    categorical = pd.get_dummies(profiles[list(CATEGORICAL)].fillna("unknown").astype(str), prefix_sep="=", dtype=float)
    return pd.concat([numeric, categorical], axis=1)


def fit_personas(profiles: pd.DataFrame, personas: int, seed: int) -> tuple[pd.DataFrame, list[Persona]]:
    """(customer_key, persona_id, persona_label) per person, and the personas, largest first."""
    from sklearn.cluster import KMeans  # imported here: scikit-learn is slow to import

    if profiles.empty:
        return pd.DataFrame(columns=["customer_key", "persona_id", "persona_label"]), []
    matrix = design_matrix(profiles)
    distinct = len(np.unique(matrix.to_numpy(), axis=0))  # no more personas than different people
    k = max(1, min(personas, distinct))
    clusters = KMeans(n_clusters=k, random_state=seed, n_init=10).fit_predict(matrix.to_numpy())
    order = pd.Series(clusters).value_counts().sort_index().sort_values(ascending=False, kind="stable").index
    number = {cluster: rank for rank, cluster in enumerate(order, start=1)}
    found: list[Persona] = []
    for cluster in order:
        members = matrix[clusters == cluster]
        traits = _distinguishing(members, matrix)
        found.append(Persona(number[cluster], " · ".join(traits), len(members), traits))
    labels = {p.persona_id: p.label for p in found}
    ids = [number[c] for c in clusters]
    assignments = pd.DataFrame(
        {
            "customer_key": profiles["customer_key"].to_numpy(),
            "persona_id": ids,
            "persona_label": [labels[i] for i in ids],
        }
    )
    return assignments, found


def _distinguishing(members: pd.DataFrame, everyone: pd.DataFrame, count: int = 3) -> tuple[str, ...]:
    """The features whose mean in the persona differs most from the mean of everyone, as words."""
    numeric = list(NUMERIC)
    scores: list[tuple[float, str]] = []
    difference = members[numeric].mean() - everyone[numeric].mean()  # in standard deviations
    for feature, gap in difference.items():
        high, low = NUMERIC[feature]
        words = high if gap > 0 else low
        if words:
            scores.append((abs(gap), words))
    shares = members.drop(columns=numeric).mean() - everyone.drop(columns=numeric).mean()
    for column, gap in shares.items():
        feature, value = column.split("=", 1)
        if gap > 0 and value != "unknown":
            scores.append((2 * gap, f"{CATEGORICAL[feature]} {value}"))  # a 50-point share gap ~ one deviation
    scores.sort(key=lambda item: (-item[0], item[1]))
    ranked = [words for _, words in scores]
    implied = set().union(*(IMPLIED.get(words, set()) for words in ranked))
    return tuple([words for words in ranked if words not in implied][:count]) or ("everyone",)
