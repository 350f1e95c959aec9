"""Every dbt model as a Dagster asset, every dbt test as an asset check."""

import shutil
from pathlib import Path

import dagster as dg
from dagster_dbt import dbt_assets
from pydantic import Field

from orchestration.defs.transform.in_process import PARTIAL_PARSE, InProcessDbtInvocation
from orchestration.defs.transform.project import kizuna_dbt
from orchestration.defs.transform.translator import KizunaDbtTranslator
from orchestration.lib.atomic import write_atomic
from orchestration.lib.settings import Settings

KEEP_INVOCATIONS = 30  # dbt target folders kept for debugging: about five days of daily runs


class DbtBuildConfig(dg.Config):
    full_refresh: bool = Field(
        default=False,
        description=(
            "Rebuild the incremental models (the staged append-only sources) from raw instead of adding what "
            "arrived since their last build: after a change to their SQL or to a dbt var they use."
        ),
    )


TRANSLATOR = KizunaDbtTranslator(kizuna_dbt.manifest_path, kizuna_dbt.project_dir)


@dbt_assets(manifest=kizuna_dbt.manifest_path, project=kizuna_dbt, dagster_dbt_translator=TRANSLATOR, pool="duckdb")
def kizuna_dbt_models(context: dg.AssetExecutionContext, config: DbtBuildConfig):
    settings = Settings.from_env()
    settings.publish()
    # unit tests check the models' logic on fixed inputs: CI runs them (make test), scheduled runs need not
    args = ["build", "--exclude-resource-type", "unit_test"]
    invocation = InProcessDbtInvocation(
        [*args, "--full-refresh"] if config.full_refresh else args,
        context,
        kizuna_dbt,
        TRANSLATOR,
        environment=settings.dbt_env(),
    )
    shared_parse = kizuna_dbt.manifest_path.with_name(PARTIAL_PARSE)
    try:
        yield from invocation.stream(shared_parse)
    finally:  # a failed test fails the step: its parse is still good, and old folders still go
        keep_partial_parse(invocation.target_path / PARTIAL_PARSE, shared_parse)
        prune_invocations(invocation.target_path.parent, "kizuna_dbt_models", KEEP_INVOCATIONS)


def keep_partial_parse(produced: Path, shared: Path) -> None:
    """Make this invocation's parse the one the next invocation starts from.

    Each invocation starts from a copy of the project's partial_parse.msgpack (beside its manifest), and dbt
    parses the whole project again (seconds) when its vars or profile differ from the copy's: the warehouse
    path and the as-of date are only known at run time. Sharing the latest parse keeps that to the first
    invocation of a day; dbt checks the copy itself, so a stale one only costs a parse."""
    if produced.exists():
        write_atomic(shared, produced.read_bytes())


def prune_invocations(target: Path, op_prefix: str, keep: int) -> None:
    """Delete all but the ``keep`` newest folders of the dbt invocations of Kizuna's dbt steps.

    dagster-dbt gives every invocation its own folder in the project's target (named after the step's op:
    kizuna_dbt_models, kizuna_dbt_models_2, ...; its log, compiled SQL, manifest and results, several MB)
    and never removes one, so a daily schedule would fill the disk. The recent ones stay for debugging;
    a folder still being written is among the newest."""
    folders = []
    for path in target.iterdir():
        try:
            if path.is_dir() and path.name.startswith(op_prefix):
                folders.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # removed meanwhile by another step's pruning
            continue
    for _, folder in sorted(folders)[: max(len(folders) - keep, 0)]:
        shutil.rmtree(folder, ignore_errors=True)
