"""The dbt project, found once. Its manifest is prepared before any run needs it."""

from __future__ import annotations

from dagster_dbt import DbtProject

from orchestration.lib.settings import DBT_PROJECT_DIR, Settings, put_dbt_on_path

put_dbt_on_path()

# Parse with the profile that runs use (Settings.publish() puts its paths in the environment), so that dbt
# starts a run from this parse instead of parsing the whole project again (about 2.5 s) because the profile
# changed.
kizuna_dbt = DbtProject(project_dir=DBT_PROJECT_DIR, prepare_project_cli_args=["parse", "--quiet"])


def prepare() -> None:
    """dagster-dbt's preparation (dbt parse: the manifest the assets are built from), then one more parse in
    this process, as a run's dbt step parses, so that the shared partial parse is whole.

    dagster-dbt marks every seed of the partial parse as changed once it has prepared (so that a project
    prepared on one machine and run on another re-parses its seeds with their new root path). Kizuna prepares
    where it runs, so that mark only made the first dbt step after each preparation re-parse the seeds and
    their schema files: about a second of its run, spent here instead."""
    from orchestration.defs.transform.in_process import parse

    Settings.from_env().publish()
    kizuna_dbt.preparer.prepare(kizuna_dbt)
    parse(kizuna_dbt.project_dir, kizuna_dbt.project_dir / kizuna_dbt.target_path, [])


# under `dagster dev`, re-parse on every load to pick up edits; CLI runs and tests on a fresh clone need a
# manifest too (`kizuna prepare`, which `kizuna run` calls, re-prepares explicitly)
if kizuna_dbt.preparer.using_dagster_dev() or not kizuna_dbt.manifest_path.exists():
    prepare()
