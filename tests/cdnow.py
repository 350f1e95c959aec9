"""The CDNOW 1/10 sample (2,357 customers; shipped with the `lifetimes` package), for CLV tests."""

from pathlib import Path

import pandas as pd

SAMPLE = Path(__file__).parent / "data" / "CDNOW_sample.txt"
CALIBRATION_END = "1997-09-30"  # 39 weeks from 1997-01-01
# Fader, Hardie and Lee (2005), "Counting Your Customers the Easy Way", table 1
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def transactions() -> pd.DataFrame:
    frame = pd.read_csv(
        SAMPLE,
        sep=r"\s+",
        header=None,
        names=["original_id", "customer", "date", "cds", "value"],
        dtype={"date": str, "customer": str},
    )
    frame["date"] = pd.to_datetime(frame.date)
    return frame
