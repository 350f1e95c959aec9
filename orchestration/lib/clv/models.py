"""Customer lifetime value: BG/NBD for purchase frequency, Gamma-Gamma for spend, by maximum likelihood.

Time is in weeks. Per customer: x = repeat purchases (purchase days after the
first), t_x = weeks from first to last purchase, T = weeks from first purchase
to the as-of date; for spend, m_x = average value of the repeat purchases.

References: Fader, Hardie and Lee (2005), "Counting Your Customers the Easy
Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2); Fader,
Hardie and Lee (2005), "RFM and CLV: Using Iso-value Curves for Customer Base
Analysis", Journal of Marketing Research 42(4); Fader and Hardie, "The
Gamma-Gamma Model of Monetary Value" (2013 note).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1


@dataclass(frozen=True)
class BGNBD:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    customers: int


@dataclass(frozen=True)
class GammaGamma:
    p: float
    q: float
    gamma: float
    log_likelihood: float
    customers: int


def bgnbd_log_likelihood(params, x, t_x, T) -> np.ndarray:
    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    beta_part = betaln(a, b + x) - betaln(a, b)
    alive = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        dropped = np.where(
            x > 0,
            np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    return common + beta_part + np.logaddexp(alive, dropped)


def fit_bgnbd(x, t_x, T) -> BGNBD:
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))

    def negative(log_params):
        return -bgnbd_log_likelihood(np.exp(log_params), x, t_x, T).sum()

    best = min(
        (
            minimize(
                negative,
                np.log(start),
                method="Nelder-Mead",
                options={"xatol": 1e-8, "fatol": 1e-8, "maxiter": 20_000, "maxfev": 40_000},
            )
            for start in ([0.5, 5.0, 0.5, 2.0], [1.0, 1.0, 1.0, 1.0], [0.2, 10.0, 1.0, 3.0])
        ),
        key=lambda result: result.fun,
    )
    r, alpha, a, b = np.exp(best.x)
    return BGNBD(float(r), float(alpha), float(a), float(b), float(-best.fun), len(x))


def probability_alive(model: BGNBD, x, t_x, T) -> np.ndarray:
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = (model.a / np.maximum(model.b + x - 1, 1e-300)) * ((model.alpha + T) / (model.alpha + t_x)) ** (
            model.r + x
        )
    return np.where(x > 0, 1.0 / (1.0 + odds), 1.0)


def expected_purchases(model: BGNBD, weeks: float, x, t_x, T) -> np.ndarray:
    """E[purchases in the next ``weeks`` | x, t_x, T] (Fader, Hardie and Lee 2005, eq. 10)."""
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    z = weeks / (alpha + T + weeks)
    head = (a + b + x - 1) / (a - 1)
    body = 1 - ((alpha + T) / (alpha + T + weeks)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    return head * body * probability_alive(model, x, t_x, T)


def gamma_gamma_log_likelihood(params, x, m_x) -> np.ndarray:
    p, q, gamma = params
    return (
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(gamma)
        + (p * x - 1) * np.log(m_x)
        + p * x * np.log(x)
        - (p * x + q) * np.log(gamma + m_x * x)
    )


def fit_gamma_gamma(x, m_x) -> GammaGamma:
    """Fit on customers with at least one repeat purchase and positive average value."""
    x, m_x = np.asarray(x, dtype=float), np.asarray(m_x, dtype=float)
    keep = (x > 0) & (m_x > 0)
    x, m_x = x[keep], m_x[keep]

    def negative(log_params):
        return -gamma_gamma_log_likelihood(np.exp(log_params), x, m_x).sum()

    start = np.log([1.0, 1.0, float(np.mean(m_x))])
    best = minimize(
        negative,
        start,
        method="Nelder-Mead",
        options={"xatol": 1e-8, "fatol": 1e-8, "maxiter": 20_000, "maxfev": 40_000},
    )
    p, q, gamma = np.exp(best.x)
    return GammaGamma(float(p), float(q), float(gamma), float(-best.fun), int(len(x)))


def expected_spend(model: GammaGamma, x, m_x, population_mean: float) -> np.ndarray:
    """E[value per purchase | x, m_x]; with no repeat purchase, the population mean p*gamma/(q-1)."""
    x, m_x = np.asarray(x, dtype=float), np.asarray(m_x, dtype=float)
    conditional = model.p * (model.gamma + x * m_x) / (model.p * x + model.q - 1)
    return np.where((x > 0) & (m_x > 0), conditional, population_mean)
