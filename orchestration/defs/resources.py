"""Resources shared by every domain: the warehouse and the dbt CLI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

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


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(),
            "dbt": DbtCliResource(project_dir=kizuna_dbt, dbt_executable=DBT_EXECUTABLE),
        }
    )
