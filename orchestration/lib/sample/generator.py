"""Deterministic sample landing zone: every source, in its vendor format, with ground truth.

People are simulated in fixed-size shards, each with its own seeded random
stream and its own part files, so the output depends only on the seed, the
number of customers and the end date, never on how many processes ran.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import write_atomic
from . import formats as fmt
from .people import make_people
from .simulate import JST, Simulator
from .writer import serialize_csv, serialize_jsonl

SHARD_SIZE = 10_000
HISTORY_DAYS = 730
CSV_HEADERS = {
    "shopify_customers": fmt.SHOPIFY_CUSTOMERS_HEADER,
    "shopify_orders": fmt.SHOPIFY_ORDERS_HEADER,
    "pos_transactions": fmt.POS_HEADER,
}


@dataclass(frozen=True)
class ShardJob:
    landing: Path
    truth: Path
    seed: int
    shard: int
    first_index: int
    count: int
    end: date


def _run_shard(job: ShardJob) -> dict:
    rng = random.Random(f"kizuna:{job.seed}:{job.shard}")
    end = datetime(job.end.year, job.end.month, job.end.day, tzinfo=JST)
    start = end - timedelta(days=HISTORY_DAYS)
    people = make_people(rng, job.first_index, job.count, start, end)
    sim = Simulator(rng, job.shard, end)
    for person in people:
        sim.simulate(person)

    records: Counter = Counter()
    bad_rows: list[tuple[str, int, str]] = []
    for relpath in sorted(sim.out.files):
        source = relpath.split("/", 1)[0]
        items = sim.out.files[relpath]
        if source in CSV_HEADERS:
            text, bad = serialize_csv(source, CSV_HEADERS[source], items, rng)
        else:
            text, bad = serialize_jsonl(source, items, rng)
        write_atomic(job.landing / relpath, text.encode("utf-8"))
        dropped_ns = int(sim.out.dropped_at[relpath].timestamp()) * 10**9
        os.utime(job.landing / relpath, ns=(dropped_ns, dropped_ns))
        records[source] += len(items)
        bad_rows.extend((relpath, line, kind) for line, kind in bad)

    part = f"p{job.shard:02d}"
    _write_parquet(
        job.truth / f"people-{part}.parquet",
        {
            "person_id": [p.person_id for p in people],
            "family_name": [p.family_name for p in people],
            "given_name": [p.given_name for p in people],
            "birthday": [p.birthday for p in people],
            "prefecture_code": [p.prefecture[0] for p in people],
            "household_of": [p.household_of for p in people],
        },
    )
    _write_parquet(
        job.truth / f"identifiers-{part}.parquet",
        dict(
            zip(
                ["person_id", "identifier_type", "identifier_value"],
                map(list, zip(*sim.out.truth_identifiers, strict=True)),
                strict=True,
            )
        ),
    )
    _write_parquet(
        job.truth / f"records-{part}.parquet",
        dict(
            zip(["source", "record_key", "person_id"], map(list, zip(*sim.out.truth_records, strict=True)), strict=True)
        ),
    )
    _write_parquet(
        job.truth / f"bad_records-{part}.parquet",
        {"file": [b[0] for b in bad_rows], "line": [b[1] for b in bad_rows], "kind": [b[2] for b in bad_rows]},
    )
    return {"records": dict(records), "bad": len(bad_rows), "files": len(sim.out.files)}


def _write_parquet(path: Path, columns: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns), path)


def generate(
    landing: Path, truth: Path, customers: int, seed: int, end: date, workers: int = 2, shard_size: int = SHARD_SIZE
) -> dict:
    """Write a landing zone of ``customers`` people ending at ``end``; returns counts per source."""
    if customers < 1:
        raise ValueError("customers must be at least 1")
    jobs = [
        ShardJob(landing, truth, seed, shard, shard * shard_size, min(shard_size, customers - shard * shard_size), end)
        for shard in range((customers + shard_size - 1) // shard_size)
    ]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_run_shard, jobs))
    else:
        results = [_run_shard(job) for job in jobs]
    totals: Counter = Counter()
    for result in results:
        totals.update(result["records"])
    summary = {
        "customers": customers,
        "seed": seed,
        "end": end.isoformat(),
        "records": dict(sorted(totals.items())),
        "bad_records_injected": sum(r["bad"] for r in results),
        "files": sum(r["files"] for r in results),
    }
    truth.mkdir(parents=True, exist_ok=True)
    (truth / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
