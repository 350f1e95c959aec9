"""dbt in the step's own process, with its events turned into Dagster events as dagster-dbt turns them.

dagster-dbt runs every dbt command as a subprocess, and such a process spends about 2.5 s before its first
query: starting Python, importing dbt, reading the project's partial parse. A daily run of ingestion and
staging has one dbt step and the identity group two, for a few seconds of SQL each, so that start-up was
most of their orchestration overhead. In the step's process dbt is already imported (dagster-dbt imports
it to build the assets), a parse from the shared partial parse takes about a second (mostly dbt building its
serializers and schemas, which the build then reuses), and the build gets the parsed manifest instead of
parsing again. A run's later dbt steps run on its first one's parse.

The command, its selection (the assets and checks the run selected) and its events are dagster-dbt's: the
selection comes from its helper for a step's context, and each dbt event becomes Dagster events through
``DbtCoreCliEventMessage``, exactly as ``DbtCliResource.cli(...).stream()`` does with the events it reads from
the subprocess. Those helpers are dagster-dbt internals, pinned in requirements.lock; every integration test
runs through them, and tests/integration/test_dagster_run.py checks that dbt ran in the run's own process.
dbt runs in a worker thread so that its results reach the run as they come; its DuckDB database stays open
for all of the command's nodes and is closed when the command ends, before the next step opens the warehouse.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject
from dagster_dbt.asset_utils import extract_runtime_selection_from_args, get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from orchestration.lib.warehouse import checkpoint_message

PARTIAL_PARSE = "partial_parse.msgpack"
_DONE = object()
# the events dagster-dbt turns into materializations and check results (DbtCoreCliEventMessage.is_result_event)
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})


class DbtStepFailed(dg.Failure):
    pass


class InProcessDbtInvocation:
    """One dbt command run in this process for a Dagster step: ``stream()`` runs it and yields its events."""

    def __init__(
        self,
        args: Sequence[str],
        context: dg.AssetExecutionContext,
        project: DbtProject,
        translator: DagsterDbtTranslator,
        environment: Mapping[str, str] | None = None,
    ) -> None:
        """``environment``: variables the command's SQL reads with env_var(), set while it runs."""
        cleaned, selects, excludes = extract_runtime_selection_from_args(list(args))
        self.params = get_updated_cli_invocation_params_for_context(
            context=context,
            manifest={},  # the step's own dbt assets give the manifest
            dagster_dbt_translator=translator,
            runtime_selects=selects,
            runtime_excludes=excludes,
        )
        self.context = context
        self.project_dir = Path((self.params.dbt_project or project).project_dir)
        # one folder per invocation, named as dagster-dbt names them: its log, compiled SQL and artifacts
        step = f"{context.op_execution_context.op.name}-{context.run.run_id[:7]}-{_short_id()}"
        self.target_path = project.project_dir / "target" / step
        self.command = [*cleaned, *self.params.selection_args]
        if self.params.indirect_selection:
            self.command += ["--indirect-selection", self.params.indirect_selection]
        self.environment = dict(environment or {})
        self.errors: list[str] = []

    def stream(self, shared_parse: Path) -> Iterator[object]:
        """Parse (from ``shared_parse``, the latest invocation's parse) unless the run did, run the command,
        yield its events."""
        from dbt.cli.main import dbtRunner
        from dbt_common.events.functions import msg_to_dict

        self.target_path.mkdir(parents=True, exist_ok=True)
        command, *options = self.command
        manifest, parsed_seconds = parse_for_run(
            self.context.run.run_id, self.project_dir, self.target_path, _vars(options), shared_parse
        )
        self.context.log.info(parse_message(parsed_seconds))
        self.context.log.info(f"Running dbt in-process: dbt {' '.join(self.command)}")

        events: queue.Queue = queue.Queue()
        outcome: dict[str, object] = {}

        def keep(message) -> None:
            """In dbt's threads: pass on the node results and the errors only (a build fires thousands of
            events, mostly its SQL, and turning each into a dict here would hold back dbt's threads)."""
            if message.info.name in RESULT_EVENTS or message.info.level == "error":
                events.put(message)

        def run() -> None:
            try:
                try:
                    runner = dbtRunner(manifest=manifest, callbacks=[keep])
                    result = runner.invoke([command, *cli_paths(self.project_dir, self.target_path), *options])
                    outcome["success"], outcome["exception"] = result.success, result.exception
                finally:
                    outcome["release"] = _release_warehouse()
            except BaseException as error:  # reported by the step, not lost in the thread
                outcome["success"], outcome["exception"] = False, error
            finally:  # always: the step waits for it
                events.put(_DONE)

        worker = threading.Thread(target=run, name="dbt", daemon=True)
        with _environment(self.environment):
            worker.start()
            try:
                while (message := events.get()) is not _DONE:
                    raw = msg_to_dict(message)
                    if raw["info"]["level"] == "error":
                        self.errors.append(raw["info"]["msg"])
                    yield from DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={}).to_default_asset_events(
                        manifest=self.params.manifest,
                        dagster_dbt_translator=self.params.dagster_dbt_translator,
                        context=self.context,
                        target_path=self.target_path,
                        project=self.params.dbt_project,
                    )
            finally:  # whatever stopped the step, dbt finishes (and lets the warehouse go) before the next step
                worker.join()
        if outcome.get("release"):
            self.context.log.info(checkpoint_message(*outcome["release"]))
        if not outcome.get("success"):
            details = "\n".join(self.errors) or str(outcome.get("exception") or "")
            raise DbtStepFailed(f"dbt {command} failed (log: {self.target_path / 'dbt.log'})\n{details}")


def cli_paths(project_dir: Path, target_path: Path) -> list[str]:
    """Where a dbt command reads the project and writes its folder, and what it writes there."""
    return [
        "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
        "--target-path", str(target_path), "--log-path", str(target_path),
        # no JSON artifacts (writing the manifest took 0.5 s a command): dbt.log holds every node's result.
        # The log keeps dbt's info level (node starts, results, timings, errors), not its debug level: that
        # is every SQL statement and connection event, 1,100 of a daily build's 1,200 events, whose
        # formatting took 1.4 s of the dbt threads' time. The SQL stays in the folder's compiled/ and run/.
        "--no-write-json", "--log-format-file", "json", "--log-level-file", "info",
        "--no-send-anonymous-usage-stats",
    ]  # fmt: skip


# the parse of the run that parsed last in this process: (run id, project, vars) and dbt's manifest
_run_parse: dict[tuple[str, str, tuple[str, ...]], object] = {}


def parse_for_run(
    run_id: str, project_dir: Path, target_path: Path, dbt_vars: Sequence[str], shared_parse: Path
) -> tuple[object, float | None]:
    """dbt's manifest of the project as the run's first dbt command in this process parsed it, and how long
    that parse took (None: parsed earlier in the run).

    A run keeps the code it started with (Dagster loads its definitions, and dagster-dbt the project's
    manifest.json, once a run), so its later dbt commands run on the same parse: dbt documents passing one
    parsed manifest to several invocations. Parsing again, even from the partial parse in a warm process,
    took 0.1 to 0.2 s a command (dbt hashes every file of the project again)."""
    key = (run_id, str(project_dir), tuple(dbt_vars))
    if key in _run_parse:
        return _run_parse[key], None
    if shared_parse.exists():
        shutil.copy(shared_parse, target_path / PARTIAL_PARSE)
    started = time.perf_counter()
    manifest = parse(project_dir, target_path, dbt_vars)
    _run_parse.clear()  # one run's at a time: a long-lived process does not pile up manifests
    _run_parse[key] = manifest
    return manifest, time.perf_counter() - started


def parse_message(seconds: float | None) -> str:
    if seconds is None:
        return "dbt runs on the project as this run parsed it at its first dbt step"
    return f"dbt parsed the project in {seconds:.2f} s"


def parse(project_dir: Path, target_path: Path, dbt_vars: Sequence[str]):
    """Parse the project in this process, from the partial parse in ``target_path`` if there is one (dbt writes
    its own there), and return dbt's manifest; a project that does not parse fails with dbt's errors."""
    from dbt.cli.main import dbtRunner

    errors: list[str] = []
    parsed = dbtRunner(callbacks=[lambda m: m.info.level == "error" and errors.append(m.info.msg)]).invoke(
        ["parse", "--quiet", *cli_paths(project_dir, target_path), *dbt_vars]
    )
    if not parsed.success:
        details = "\n".join(errors) or str(parsed.exception or "")
        raise DbtStepFailed(f"dbt could not parse the project (log: {target_path / 'dbt.log'})\n{details}")
    return parsed.result


def _release_warehouse() -> tuple[float, float] | None:
    """Close the database dbt-duckdb keeps open across a command's nodes (``keep_open: true`` in profiles.yml;
    opening and checkpointing it at every node cost 0.3 s of a daily build): the step's next query, the next
    step and other processes open the warehouse themselves.

    Returns how long DuckDB took to write the command's changes to the file (an explicit CHECKPOINT, which
    closing would otherwise do) and then to close it (mostly giving back its memory), in seconds; None when
    the command never opened the database. After a full staging build the two took about 1 s and 0.7 s: the
    step logs them, so that its last seconds are not a mystery in the UI."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    try:
        environment = DuckDBConnectionManager.env()
    except Exception:  # the command never opened it
        return None
    started = time.perf_counter()
    if environment.conn is not None:
        environment.conn.execute("CHECKPOINT")
    checkpointed = time.perf_counter()
    DuckDBConnectionManager.close_all_connections()
    environment.close()
    return checkpointed - started, time.perf_counter() - checkpointed


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """``values`` in the process environment, then the environment as it was: a dbt command's own settings
    must not outlive it in a long-lived process (a date set for one run would be stale the next day)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _vars(options: Sequence[str]) -> list[str]:
    """The --vars of a command: a parse with other vars would not be the one the command runs on."""
    if "--vars" in options:
        at = list(options).index("--vars")
        return list(options[at : at + 2])
    return []


def _short_id() -> str:
    return uuid.uuid4().hex[:7]
