"""The `kizuna` command: sample data, dbt preparation, and a full run of the platform."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from orchestration.lib.landing import landing_is_empty
from orchestration.lib.settings import Settings

DEFAULT_CUSTOMERS = 1000
DEFAULT_SEED = 42
DAGSTER_YAML = """\
# Written by `kizuna`: the Dagster instance of this KIZUNA_HOME.
telemetry:
  enabled: false
concurrency:
  pools:
    # every asset and check touching the DuckDB file is in pool "duckdb":
    # DuckDB admits one writing process, so one step at a time across runs
    default_limit: 1
"""


def prepare_dagster_home(settings: Settings) -> None:
    """Keep Dagster's run storage under KIZUNA_HOME (unless DAGSTER_HOME says otherwise)."""
    write_dagster_home(os.environ.setdefault("DAGSTER_HOME", str(settings.dagster_home)))


def write_dagster_home(home: str | Path) -> None:
    """The folder of a Dagster instance, with Kizuna's dagster.yaml unless it has one."""
    os.makedirs(home, exist_ok=True)
    config = os.path.join(home, "dagster.yaml")
    if not os.path.exists(config):
        with open(config, "w") as handle:
            handle.write(DAGSTER_YAML)


def cmd_sample(args: argparse.Namespace, settings: Settings) -> int:
    from orchestration.lib.sample.generator import generate

    if not args.force and not landing_is_empty(settings.landing):
        print(f"{settings.landing} already holds files; pass --force to add a generated zone to it.", file=sys.stderr)
        return 1
    end = date.fromisoformat(args.end) if args.end else settings.as_of
    started = time.perf_counter()
    summary = generate(settings.landing, settings.truth, args.customers, args.seed, end, workers=args.workers)
    print(
        f"Wrote a sample landing zone for {args.customers} customers (seed {args.seed}, ending {end}) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    print(f"  landing: {settings.landing}")
    print(f"  truth:   {settings.truth} (kept apart for tests)")
    for source, count in summary["records"].items():
        print(f"  {source:<20} {count:>10,} records")
    print(f"  malformed records injected: {summary['bad_records_injected']:,}")
    return 0


def cmd_prepare(_args: argparse.Namespace, settings: Settings) -> int:
    settings.publish()
    from orchestration.defs.transform.project import kizuna_dbt, prepare

    prepare()
    print(f"dbt manifest ready: {kizuna_dbt.manifest_path}")
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if landing_is_empty(settings.landing):
        print(f"The landing zone {settings.landing} is empty: generating a sample first.")
        args.force, args.end, args.workers = False, None, 2
        if cmd_sample(args, settings):
            return 1
    cmd_prepare(args, settings)
    prepare_dagster_home(settings)

    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.lib.report import summarize

    started, started_at = time.perf_counter(), datetime.now(UTC)
    job = defs().resolve_job_def("materialize_everything")
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}}},
        )
    elapsed = time.perf_counter() - started
    print()
    print(summarize(settings, elapsed, started_at))
    evaluations = [
        e.event_specific_data for e in result.all_events if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ]
    failed_checks = [e for e in evaluations if not e.passed]
    print(f"  checks: {len(evaluations) - len(failed_checks)} of {len(evaluations)} passed")
    for check in failed_checks:
        print(f"    FAILED {check.asset_key.to_user_string()}: {check.check_name} ({check.severity.value.lower()})")
    if not result.success:
        print_failures(result)
        return 1
    return 0


def print_failures(result) -> None:
    """Each failed step with its message, without the exception's class path: what a person needs to read."""
    print(f"\nThe run failed; `make ui` shows run {result.run_id}.", file=sys.stderr)
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            reason = re.sub(r"^[\w.]+: ", "", error.message.strip()).splitlines() if error else ["(no message)"]
            print(f"  {event.step_key}: " + "\n    ".join(reason[:12]), file=sys.stderr)


def cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    """Replace this process with `dagster dev` on this code location, its storage under KIZUNA_HOME."""
    settings.publish()
    prepare_dagster_home(settings)
    dagster = os.path.join(os.path.dirname(sys.executable), "dagster")
    command = [dagster, "dev", "-m", "orchestration.definitions", "--host", args.host, "--port", str(args.port)]
    print(f"Dagster UI on http://{args.host}:{args.port} (KIZUNA_HOME={settings.home})", flush=True)
    os.execv(dagster, command)
    return 0  # not reached


def cmd_reject(args: argparse.Namespace, settings: Settings) -> int:
    """Run the job reject_file_job (orchestration/defs/ingest/reject.py), so the UI's run history keeps it."""
    settings.publish()
    prepare_dagster_home(settings)
    path = Path(args.path)
    if path.is_absolute() and path.resolve().is_relative_to(settings.landing.resolve()):
        path = path.resolve().relative_to(settings.landing.resolve())

    import dagster as dg

    from orchestration.definitions import defs

    config = {"path": path.as_posix(), "reason": args.reason}
    with dg.DagsterInstance.get() as instance:
        result = (
            defs()
            .resolve_job_def("reject_file_job")
            .execute_in_process(
                instance=instance,
                raise_on_error=False,
                run_config={
                    "ops": {"reject_landing_file": {"config": config}},
                    "loggers": {"console": {"config": {"log_level": "WARNING"}}},  # the outcome is printed below
                },
            )
        )
    if not result.success:
        print_failures(result)
        return 1
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.ASSET_OBSERVATION:
            observation = event.event_specific_data.asset_observation
            facts = {name: value.value for name, value in observation.metadata.items()}
            print(
                f"{facts['rejected_file']} ({observation.asset_key.to_user_string()}): "
                f"{facts['rows_quarantined']} rows moved to raw.quarantine, "
                f"{facts['staged_rows_removed']} staged rows removed"
            )
            if facts["staged_rows_removed"]:
                print("Launch the job rebuild_staging before the next daily run (see the run's warning).")
    print("The raw gate judges again at the next run that loads the source (or `kizuna run`).")
    return 0


def cmd_bench(_args: argparse.Namespace, _settings: Settings) -> int:
    from orchestration.lib.bench import main as bench_main

    return bench_main()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kizuna", description="Kizuna customer data platform.")
    sub = parser.add_subparsers(dest="command", required=True)
    sample = sub.add_parser("sample", help="write a generated landing zone to $KIZUNA_HOME/landing")
    run = sub.add_parser("run", help="generate a sample if the landing zone is empty, then materialize everything")
    for p in (sample, run):
        p.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS, help="people to simulate")
        p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (same seed, same files)")
    run.add_argument("--log-level", default="INFO", help="console log level of the run (DEBUG shows every event)")
    sample.add_argument("--end", help="last day of the simulated history (default: KIZUNA_AS_OF or today)")
    sample.add_argument("--workers", type=int, default=2, help="processes to generate with")
    sample.add_argument("--force", action="store_true", help="write even if the landing zone holds files")
    sub.add_parser("prepare", help="parse the dbt project so that CLI runs find its manifest")
    ui = sub.add_parser("ui", help="start the Dagster webserver and daemon (dagster dev) on this project")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    sub.add_parser("bench", help="benchmark at 200k customers against a plain DuckDB floor (make bench)")
    reject = sub.add_parser("reject", help="take a loaded landing file back out of raw, into the quarantine")
    reject.add_argument("path", help="the file, relative to the landing root (as the ledger names it) or absolute")
    reject.add_argument("--reason", required=True, help="why: kept with every quarantined row")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    handler = {
        "sample": cmd_sample,
        "run": cmd_run,
        "prepare": cmd_prepare,
        "ui": cmd_ui,
        "bench": cmd_bench,
        "reject": cmd_reject,
    }[args.command]
    return handler(args, settings)


if __name__ == "__main__":
    sys.exit(main())
