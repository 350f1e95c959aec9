"""Resources shared by every domain: the warehouse and the dbt CLI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from importlib import metadata

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from packaging import version

from orchestration.defs.transform.project import kizuna_dbt
from orchestration.lib import warehouse
from orchestration.lib.settings import DBT_EXECUTABLE, Settings


class WarehouseResource(dg.ConfigurableResource):
    """The embedded DuckDB warehouse under KIZUNA_HOME (settings are read at run time)."""

    @property
    def settings(self) -> Settings:
        return Settings.from_env()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with warehouse.connect(self.settings.warehouse, read_only=read_only) as con:
            yield con


class KizunaDbtCliResource(DbtCliResource):
    """dagster-dbt's CLI resource without two start-up costs Kizuna does not use (about 4 s per invocation,
    most of a dbt step's overhead):

    - it runs ``dbt --version`` in a subprocess to tell dbt Core from the Fusion engine: the project pins
      dbt-core, whose version the package metadata gives;
    - it opens a dbt adapter in-process, only to fetch column metadata and row counts after the run, which
      Kizuna's dbt assets do not ask for.

    Both are private hooks of dagster-dbt (pinned in requirements.lock); tests/unit/test_dbt_resource.py
    fails if an upgrade renames them."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - the hook's signature
        return None


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(),
            "dbt": KizunaDbtCliResource(project_dir=kizuna_dbt, dbt_executable=DBT_EXECUTABLE),
        }
    )
