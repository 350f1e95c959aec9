"""BG/NBD and Gamma-Gamma, fitted by maximum likelihood, reproduce the published CDNOW results."""

import numpy as np
import pandas as pd
import pytest

from orchestration.lib.clv.models import (
    BGNBD,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    probability_alive,
)
from tests.cdnow import CALIBRATION_END, PUBLISHED_BGNBD, transactions


@pytest.fixture(scope="module")
def calibration():
    data = transactions()
    end = pd.Timestamp(CALIBRATION_END)
    days = data[data.date <= end].groupby(["customer", "date"]).value.sum().reset_index()
    grouped = days.groupby("customer")
    first, last = grouped.date.min(), grouped.date.max()
    x = (grouped.size() - 1).to_numpy(float)
    t_x = ((last - first).dt.days / 7).to_numpy(float)
    T = ((end - first).dt.days / 7).to_numpy(float)
    m_x = days.assign(n=grouped.cumcount()).query("n > 0").groupby("customer").value.mean()
    return x, t_x, T, m_x.reindex(grouped.size().index).fillna(0).to_numpy(float)


def test_bgnbd_reproduces_fader_hardie_lee_2005(calibration):
    x, t_x, T, _ = calibration
    model = fit_bgnbd(x, t_x, T)
    assert model.customers == 2357
    for name, published in PUBLISHED_BGNBD.items():
        assert getattr(model, name) == pytest.approx(published, rel=0.01), name
    assert model.log_likelihood == pytest.approx(-9582.4, abs=0.5)  # as reported in the paper


def test_gamma_gamma_on_cdnow_repeat_buyers(calibration):
    x, _, _, m_x = calibration
    model = fit_gamma_gamma(x, m_x)
    # Fader, Hardie and Lee (2005, JMR) on the same 946 repeat buyers: p = 6.25, q = 3.74, gamma = 15.44
    assert model.customers == 946
    assert (model.p, model.q, model.gamma) == pytest.approx((6.25, 3.74, 15.44), rel=0.02)


def test_predictions_behave():
    model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=0, customers=1)
    # no repeat purchase: alive for sure under BG/NBD; a long silence after many purchases: likely gone
    assert probability_alive(model, [0], [0], [30])[0] == 1.0
    assert probability_alive(model, [10], [5], [38])[0] < 0.2 < probability_alive(model, [10], [37], [38])[0]
    # more recent buyers are expected to buy more; expectations grow with the horizon
    recent, stale = expected_purchases(model, 39, [4, 4], [30, 5], [38, 38])
    assert recent > stale
    assert np.all(np.diff(expected_purchases(model, np.array([4, 13, 52]), 2, 20, 38)) > 0)
