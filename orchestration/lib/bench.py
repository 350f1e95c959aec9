"""`make bench`: Kizuna's stages against a plain DuckDB floor, on the same files, in the same run.

Each stage runs in its own process; its wall time and the peak resident memory
of its process tree (dbt runs as a child) are sampled from outside. Results are
ratios against the floor measured in this run, because absolute seconds on a
shared machine mean little.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import psutil

from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.settings import Settings

BENCH_CUSTOMERS = 200_000
BENCH_SEED = 42
BENCH_END = date(2026, 11, 1)  # fixed, so the zone is reused across days
DBT_STEP = "kizuna_dbt_models"  # the step keys of the dbt multi-asset (one per subset)
OVERHEAD_GOAL_SECONDS = 3.0


@dataclass
class StageResult:
    stage: str
    seconds: float
    peak_mb: float
    inner_seconds: float | None = None  # measured inside the process, without start-up and imports
    overhead_seconds: float | None = None  # a Dagster run's time outside SQL and Python work (see overhead())


@dataclass(frozen=True)
class Overhead:
    run_seconds: float  # first to last event of the run
    work_seconds: float  # dbt nodes' own execution time (SQL) + the compute time of Python steps
    overhead_seconds: float  # the rest: Dagster's step management, process and dbt start-up, manifest parsing


def overhead(entries: list[tuple[float, str, str | None, float | None]]) -> Overhead:
    """Orchestration overhead of one run from its event log: (timestamp, event type, step key, dbt node
    duration). dbt steps count only their nodes' execution durations as work (dbt's own start-up and parsing
    is overhead); other steps count their whole compute time."""
    times = [timestamp for timestamp, *_ in entries]
    run_seconds = max(times) - min(times) if times else 0.0
    started: dict[str, float] = {}
    work = 0.0
    for timestamp, kind, step, duration in sorted(entries, key=lambda e: e[0]):
        if step is None:
            continue
        if kind == "STEP_START":
            started[step] = timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and step in started and not step.startswith(DBT_STEP):
            work += timestamp - started[step]
        elif duration is not None and step.startswith(DBT_STEP):
            work += duration
    return Overhead(run_seconds, work, max(run_seconds - work, 0.0))


def _measure(stage: str, command: list[str], env: dict[str, str]) -> StageResult:
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    peak = 0
    watched = psutil.Process(process.pid)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                tree = [watched, *watched.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    code = process.returncode
    stop.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"bench stage {stage!r} failed with exit code {code}")
    inner = overhead_seconds = None
    for line in output.splitlines():  # a stage may report its own in-process seconds as a JSON line
        if line.startswith("{") and '"seconds"' in line:
            inner = json.loads(line)["seconds"]
        elif line.startswith("{") and '"overhead_seconds"' in line:
            overhead_seconds = json.loads(line)["overhead_seconds"]
        else:
            print(line)
    return StageResult(stage, time.perf_counter() - started, peak / 1e6, inner, overhead_seconds)


def floor_sql(landing: Path) -> list[str]:
    """The plain DuckDB floor: scan every landing file of each source and write it to a table."""
    statements = []
    for contract in CONTRACTS.values():
        pattern = str(landing / contract.source / "*")
        reader = (
            f"read_json('{pattern}.jsonl', format='newline_delimited', ignore_errors=true, "
            f"union_by_name=true, maximum_object_size=16777216)"
            if contract.format == "jsonl"
            else f"read_csv('{pattern}.csv', header=true, all_varchar=true, ignore_errors=true, union_by_name=true)"
        )
        statements.append(f"CREATE OR REPLACE TABLE floor_{contract.source} AS SELECT * FROM {reader}")
    return statements


def run_floor(database: str, landing: str) -> None:
    import duckdb

    con = duckdb.connect(database)
    con.execute("SET enable_progress_bar = false")
    for statement in floor_sql(Path(landing)):
        con.execute(statement)
    con.close()


def run_kizuna(group: str) -> None:
    """Materialize one asset group of the real code location, as a scheduled run would."""
    import dagster as dg

    from orchestration.definitions import defs

    definitions = defs()
    job = definitions.resolve_job_def("materialize_everything")
    selection = dg.AssetSelection.groups(group)
    keys = selection.resolve(definitions.resolve_asset_graph())
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            instance=instance,
            asset_selection=list(keys),
            raise_on_error=True,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
        if not result.success:
            raise SystemExit(1)
        entries = [
            (record.timestamp, event.event_type_value, event.step_key, _dbt_node_seconds(event))
            if (event := record.dagster_event)
            else (record.timestamp, "log", None, None)
            for record in instance.all_logs(result.run_id)
        ]
    print(json.dumps(asdict(overhead(entries))))


def _dbt_node_seconds(event) -> float | None:
    """How long a dbt model or test ran by dbt's own clock (dagster-dbt's "Execution Duration")."""
    import dagster as dg

    if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
        metadata = event.step_materialization_data.materialization.metadata
    elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
        metadata = event.event_specific_data.metadata
    else:
        return None
    duration = metadata.get("Execution Duration")
    return float(duration.value) if duration is not None else None


def run_resolution(database: str, secret_path: str) -> None:
    """Identity resolution from scratch (components, merge rules, keys, writes), as the asset runs it."""
    from datetime import UTC, datetime

    from orchestration.lib.identity.resolve import resolve
    from orchestration.lib.secrets import load_secret
    from orchestration.lib.warehouse import connect

    with connect(Path(database)) as con:
        con.execute("DROP SCHEMA IF EXISTS identity CASCADE")
        started = time.perf_counter()
        report = resolve(con, load_secret(Path(secret_path)), datetime.now(UTC))
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "passes": report.component_passes,
                "customers": report.customers,
                "links_refused": report.dropped_edges,
            }
        )
    )


def run_components_baseline(database: str) -> None:
    """The plain large-star/small-star connected components over the same edges, nothing else."""
    from orchestration.lib.identity.components import large_star_small_star
    from orchestration.lib.warehouse import connect

    with connect(Path(database)) as con:
        started = time.perf_counter()
        result = large_star_small_star(con, "intermediate.int_identity_edges")
        con.execute(f"CREATE OR REPLACE TABLE main.bench_lsss_labels AS SELECT * FROM {result.table}")
        seconds = time.perf_counter() - started
        con.execute("DROP TABLE main.bench_lsss_labels")
    print(json.dumps({"seconds": seconds, "passes": result.passes}))


def main() -> int:
    settings = Settings.from_env()
    home = Path(os.environ.get("KIZUNA_BENCH_HOME") or settings.home / "bench")
    customers = int(os.environ.get("KIZUNA_BENCH_CUSTOMERS", BENCH_CUSTOMERS))
    zone = home / f"customers-{customers}-seed-{BENCH_SEED}"
    env = {**os.environ, "KIZUNA_HOME": str(zone), "KIZUNA_AS_OF": BENCH_END.isoformat()}
    python = sys.executable
    results: list[StageResult] = []

    summary_file = zone / "truth" / "summary.json"
    if not summary_file.exists():
        shutil.rmtree(zone, ignore_errors=True)
        results.append(
            _measure(
                "generate sample zone",
                [
                    python,
                    "-m",
                    "orchestration.cli",
                    "sample",
                    "--customers",
                    str(customers),
                    "--seed",
                    str(BENCH_SEED),
                    "--end",
                    BENCH_END.isoformat(),
                ],
                env,
            )
        )
    summary = json.loads(summary_file.read_text())
    landing_bytes = sum(p.stat().st_size for p in (zone / "landing").rglob("*") if p.is_file())

    for stale in (zone / "warehouse.duckdb", zone / "warehouse.duckdb.wal", zone / "floor.duckdb"):
        stale.unlink(missing_ok=True)
    subprocess.run([python, "-m", "orchestration.cli", "prepare"], env=env, check=True, capture_output=True)
    floor = _measure(
        "floor: DuckDB read_json/read_csv -> table",
        [
            python,
            "-c",
            "from orchestration.lib.bench import run_floor; "
            f"run_floor({str(zone / 'floor.duckdb')!r}, {str(zone / 'landing')!r})",
        ],
        env,
    )
    ingest = _measure(
        "kizuna: ingest (assets + checks)",
        [python, "-c", "from orchestration.lib.bench import run_kizuna; run_kizuna('ingest')"],
        env,
    )
    staging = _measure(
        "kizuna: staging (dbt build + checks)",
        [python, "-c", "from orchestration.lib.bench import run_kizuna; run_kizuna('staging')"],
        env,
    )
    identity = _measure(
        "kizuna: identity group (dbt + resolution)",
        [python, "-c", "from orchestration.lib.bench import run_kizuna; run_kizuna('identity')"],
        env,
    )
    warehouse, secret = str(zone / "warehouse.duckdb"), str(zone / "secrets" / "customer_key_secret")
    resolution = _measure(
        "identity resolution alone (from scratch)",
        [
            python,
            "-c",
            f"from orchestration.lib.bench import run_resolution; run_resolution({warehouse!r}, {secret!r})",
        ],
        env,
    )
    baseline = _measure(
        "baseline: large-star/small-star in SQL",
        [
            python,
            "-c",
            f"from orchestration.lib.bench import run_components_baseline; run_components_baseline({warehouse!r})",
        ],
        env,
    )
    # the rest of the graph, group by group, as a daily run builds it (no goal: measured so it is known)
    downstream = [
        _measure(
            f"kizuna: {group} group",
            [python, "-c", f"from orchestration.lib.bench import run_kizuna; run_kizuna({group!r})"],
            env,
        )
        for group in ("profiles", "consent", "segments", "exports")
    ]
    (zone / "floor.duckdb").unlink(missing_ok=True)
    results += [floor, ingest, staging, identity, resolution, baseline, *downstream]

    events = summary["records"].get("events", 0)
    runs = [r for r in results if r.overhead_seconds is not None]  # the stages that are Dagster runs
    report = {
        "customers": customers,
        "events": events,
        "records": sum(summary["records"].values()),
        "landing_mb": round(landing_bytes / 1e6, 1),
        "stages": [asdict(r) for r in results],
        "ingest_vs_floor": round(ingest.seconds / floor.seconds, 2),
        "ingest_goal": 3.0,
        "resolution_vs_baseline": round(resolution.inner_seconds / baseline.inner_seconds, 2),
        "resolution_vs_baseline_wall": round(resolution.seconds / baseline.seconds, 2),
        "resolution_goal": 1.5,
        "overhead_seconds_per_run": {r.stage: round(r.overhead_seconds, 2) for r in runs},
        "overhead_goal_seconds": OVERHEAD_GOAL_SECONDS,
    }
    (home / "bench-results.json").write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"\nKizuna benchmark: {customers:,} customers, {report['records']:,} records "
        f"({events:,} events), {report['landing_mb']:,} MB of landing files\n"
    )
    print(f"  {'stage':<44} {'seconds':>9} {'peak MB':>9}  in-process  overhead")
    for r in results:
        inner = f"{r.inner_seconds:>10.2f}" if r.inner_seconds is not None else " " * 10
        extra = f"{r.overhead_seconds:>9.1f}" if r.overhead_seconds is not None else ""
        print(f"  {r.stage:<44} {r.seconds:>9.1f} {r.peak_mb:>9.0f}  {inner}  {extra}")
    print(f"\n  ingestion / floor = {report['ingest_vs_floor']:.2f}x   (goal: at most {report['ingest_goal']:.0f}x)")
    print(
        f"  identity resolution / large-star-small-star = {report['resolution_vs_baseline']:.2f}x in-process, "
        f"{report['resolution_vs_baseline_wall']:.2f}x wall   (goal: at most {report['resolution_goal']}x)"
    )
    worst = max(runs, key=lambda r: r.overhead_seconds)
    print(
        f"  orchestration overhead (run time outside SQL and Python work): at most {worst.overhead_seconds:.1f} s "
        f"per run ({worst.stage})   (goal: at most {OVERHEAD_GOAL_SECONDS:.0f} s)"
    )
    print(f"  results: {home / 'bench-results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
