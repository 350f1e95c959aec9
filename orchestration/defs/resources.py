"""Resources shared by every domain: the warehouse (dbt runs in the step's process: transform/in_process.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from orchestration.lib import warehouse
from orchestration.lib.settings import Settings


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
        }
    )
