"""Fit the CLV models on the orders known at the as-of date and predict per customer.

Reads intermediate.int_customer_orders (online and store orders per customer);
writes clv.model_parameters (one row per parameter per as-of date: a history of
fits) and clv.customer_predictions (replaced for each fit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from ..warehouse import transaction
from .models import expected_purchases, expected_spend, fit_bgnbd, fit_gamma_gamma, probability_alive

WEEKS_90_DAYS = 90 / 7
WEEKS_12_MONTHS = 365.25 / 7
MIN_CUSTOMERS = 30  # below this the likelihood surface is too flat to mean anything
MIN_REPEAT_CUSTOMERS = 10

DDL = [
    "CREATE SCHEMA IF NOT EXISTS clv",
    """CREATE TABLE IF NOT EXISTS clv.model_parameters (
        as_of DATE NOT NULL, model VARCHAR NOT NULL, parameter VARCHAR NOT NULL, value DOUBLE NOT NULL,
        customers INTEGER NOT NULL, log_likelihood DOUBLE NOT NULL, fitted_at TIMESTAMPTZ NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS clv.customer_predictions (
        customer_key VARCHAR NOT NULL, as_of DATE NOT NULL, repeat_purchases INTEGER NOT NULL,
        weeks_first_to_last DOUBLE NOT NULL, weeks_observed DOUBLE NOT NULL, average_repeat_value DOUBLE,
        probability_alive DOUBLE NOT NULL, expected_purchases_90d DOUBLE NOT NULL,
        expected_value_per_order DOUBLE NOT NULL, predicted_value_12m DOUBLE NOT NULL)""",
]


@dataclass(frozen=True)
class ClvReport:
    customers: int
    repeat_customers: int
    fitted: bool
    reason: str
    parameters: dict[str, float]


def calibration_summary(con, as_of: date) -> pd.DataFrame:
    """Per customer: repeat purchase days x, t_x and T in weeks, and the average repeat-day value."""
    return con.execute(
        """
        WITH days AS (
            SELECT customer_key, CAST(ordered_at AS DATE) AS day, sum(revenue) AS value
            FROM intermediate.int_customer_orders
            WHERE CAST(ordered_at AS DATE) <= $as_of
            GROUP BY 1, 2
        ),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY customer_key ORDER BY day) AS n FROM days
        )
        SELECT customer_key,
               count(*) - 1 AS x,
               date_diff('day', min(day), max(day)) / 7.0 AS t_x,
               date_diff('day', min(day), $as_of) / 7.0 AS T,
               avg(value) FILTER (WHERE n > 1) AS m_x
        FROM ranked GROUP BY customer_key ORDER BY customer_key
    """,
        {"as_of": as_of},
    ).df()


def fit_and_predict(con, as_of: date, now: datetime) -> ClvReport:
    for statement in DDL:
        con.execute(statement)
    summary = calibration_summary(con, as_of)
    repeaters = int((summary.x > 0).sum())
    if len(summary) < MIN_CUSTOMERS or repeaters < MIN_REPEAT_CUSTOMERS:
        reason = (
            f"not enough purchase history: {len(summary)} customers, {repeaters} with a repeat purchase "
            f"(need {MIN_CUSTOMERS} and {MIN_REPEAT_CUSTOMERS})"
        )
        con.execute("DELETE FROM clv.customer_predictions")
        return ClvReport(len(summary), repeaters, False, reason, {})

    x, t_x, T = summary.x.to_numpy(float), summary.t_x.to_numpy(float), summary["T"].to_numpy(float)
    m_x = summary.m_x.fillna(0).to_numpy(float)
    frequency = fit_bgnbd(x, t_x, T)
    spend = fit_gamma_gamma(x, m_x)
    population_mean = spend.p * spend.gamma / (spend.q - 1) if spend.q > 1 else float(np.mean(m_x[m_x > 0]))
    per_order = expected_spend(spend, x, m_x, population_mean)
    predictions = pd.DataFrame(
        {
            "customer_key": summary.customer_key,
            "as_of": as_of,
            "repeat_purchases": x.astype(int),
            "weeks_first_to_last": t_x,
            "weeks_observed": T,
            "average_repeat_value": summary.m_x,
            "probability_alive": probability_alive(frequency, x, t_x, T),
            "expected_purchases_90d": expected_purchases(frequency, WEEKS_90_DAYS, x, t_x, T),
            "expected_value_per_order": per_order,
            "predicted_value_12m": expected_purchases(frequency, WEEKS_12_MONTHS, x, t_x, T) * per_order,
        }
    )
    parameters = {
        "r": frequency.r,
        "alpha": frequency.alpha,
        "a": frequency.a,
        "b": frequency.b,
        "p": spend.p,
        "q": spend.q,
        "gamma": spend.gamma,
    }
    rows = [
        [as_of, "bg_nbd", name, parameters[name], frequency.customers, frequency.log_likelihood, now]
        for name in ("r", "alpha", "a", "b")
    ]
    rows += [
        [as_of, "gamma_gamma", name, parameters[name], spend.customers, spend.log_likelihood, now]
        for name in ("p", "q", "gamma")
    ]
    con.register("_clv_predictions", predictions)
    try:
        with transaction(con):
            con.execute("DELETE FROM clv.model_parameters WHERE as_of = ?", [as_of])  # re-fitting a date replaces it
            con.executemany("INSERT INTO clv.model_parameters VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            con.execute("DELETE FROM clv.customer_predictions")
            con.execute("INSERT INTO clv.customer_predictions SELECT * FROM _clv_predictions")
    finally:
        con.unregister("_clv_predictions")
    return ClvReport(len(summary), repeaters, True, "fitted", parameters)
