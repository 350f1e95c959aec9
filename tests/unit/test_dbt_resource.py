"""The dbt resource skips two of dagster-dbt's start-up steps through private hooks: they must still exist."""

from importlib import metadata

from dagster_dbt import DbtCliResource

from orchestration.defs.resources import KizunaDbtCliResource
from orchestration.defs.transform.project import kizuna_dbt
from orchestration.lib.settings import DBT_EXECUTABLE


def test_the_hooks_it_overrides_are_dagster_dbts():
    # renamed in an upgrade, the overrides would silently stop saving anything: look again at resource.py
    assert {"_cli_version", "_initialize_dbt_core_adapter"} <= set(vars(DbtCliResource))


def test_version_without_a_subprocess_and_no_adapter():
    resource = KizunaDbtCliResource(project_dir=kizuna_dbt, dbt_executable=DBT_EXECUTABLE)
    assert str(resource._cli_version) == metadata.version("dbt-core")
    assert resource._initialize_dbt_core_adapter(["build"]) is None
