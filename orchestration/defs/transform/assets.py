"""Every dbt model as a Dagster asset, every dbt test as an asset check."""

import json

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.transform.project import kizuna_dbt
from orchestration.defs.transform.translator import KizunaDbtTranslator
from orchestration.lib.settings import Settings


@dbt_assets(
    manifest=kizuna_dbt.manifest_path, project=kizuna_dbt, dagster_dbt_translator=KizunaDbtTranslator(), pool="duckdb"
)
def kizuna_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    settings = Settings.from_env()
    settings.publish()
    yield from dbt.cli(["build", "--vars", json.dumps(settings.dbt_vars())], context=context).stream()
