"""The sample generator: deterministic, every vendor format, truth kept apart, mess included."""

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.sample.formats import SHOPIFY_CUSTOMERS_HEADER, SHOPIFY_ORDERS_HEADER
from orchestration.lib.sample.generator import generate

END = date(2026, 11, 1)


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_whatever_the_worker_count(tmp_path):
    generate(tmp_path / "a" / "landing", tmp_path / "a" / "truth", 120, 5, END, workers=1, shard_size=50)
    generate(tmp_path / "b" / "landing", tmp_path / "b" / "truth", 120, 5, END, workers=2, shard_size=50)
    generate(tmp_path / "c" / "landing", tmp_path / "c" / "truth", 120, 6, END, workers=1, shard_size=50)
    assert digest(tmp_path / "a" / "landing") == digest(tmp_path / "b" / "landing")
    assert digest(tmp_path / "a" / "landing") != digest(tmp_path / "c" / "landing")


def test_every_source_is_written_and_truth_stays_out_of_the_landing_zone(generated_zone):
    landing = generated_zone / "landing"
    for source in CONTRACTS:
        assert any((landing / source).iterdir()), source
    assert not any("truth" in p.name or p.suffix == ".parquet" for p in landing.rglob("*"))
    records = pq.read_table(list((generated_zone / "truth").glob("records-*.parquet"))).to_pandas()
    assert set(records.source) == set(CONTRACTS)
    # the truth names the person behind every Segment message in the landing zone, and only those
    assert set(records[records.source == "events"].record_key) == _message_ids(landing)


def _message_ids(landing: Path) -> set[str]:
    """messageIds of the well-formed Segment messages (retried deliveries included once)."""
    ids = set()
    for path in (landing / "events").iterdir():
        for line in path.read_text().splitlines():
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if (
                isinstance(message, dict)
                and "messageId" in message
                and "timestamp" in message
                and message["timestamp"] != "yesterday afternoon"
            ):
                ids.add(message["messageId"])
    return ids


def test_vendor_headers_and_realistic_mess(generated_zone):
    landing = generated_zone / "landing"
    first = next((landing / "shopify_customers").iterdir()).read_text()
    assert next(csv.reader(io.StringIO(first))) == SHOPIFY_CUSTOMERS_HEADER
    assert "'62" in first  # spreadsheet-protected ids, as Shopify writes them
    orders = next((landing / "shopify_orders").iterdir()).read_text()
    assert next(csv.reader(io.StringIO(orders))) == SHOPIFY_ORDERS_HEADER
    everything = "".join(p.read_text() for p in landing.rglob("*") if p.is_file())
    assert "０" in everything or "１" in everything  # full-width digits in phone numbers
    assert "test@example.com" in everything or "000-0000-0000" in everything  # junk identifiers
    assert any(ch in everything for ch in "佐藤鈴木高橋田中")  # Japanese names


def test_bad_records_are_recorded_in_the_truth(generated_zone):
    bad = pq.read_table(list((generated_zone / "truth").glob("bad_records-*.parquet"))).to_pandas()
    summary = json.loads((generated_zone / "truth" / "summary.json").read_text())
    assert len(bad) == summary["bad_records_injected"] > 0
    total = sum(summary["records"].values())
    assert 0.002 < len(bad) / total < 0.01  # about 0.5 %
    for file, line in bad[["file", "line"]].head(20).itertuples(index=False):
        text = (generated_zone / "landing" / file).read_text()
        assert line <= text.count("\n") + 1


def test_rejects_nonsense():
    with pytest.raises(ValueError):
        generate(Path("/nonexistent"), Path("/nonexistent"), 0, 1, END)
