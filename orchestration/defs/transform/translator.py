"""How dbt nodes become Dagster assets: the single place for the naming policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from orchestration.defs.owners import DATA_PLATFORM


class KizunaDbtTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """Models are keyed by schema and name (staging/stg_segment__events); sources by their dagster meta."""
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """Staging models form one group; past staging, nodes group by domain folder (identity, profiles, ...).

        fqn is [project, layer, domain, ..., name] for models and [project, domain, name] for seeds.
        """
        fqn = dbt_resource_props.get("fqn", [])
        if len(fqn) < 3:
            return "transform"
        if fqn[1] == "staging" or len(fqn) == 3:
            return fqn[1]
        return fqn[2]

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        """Every model belongs to the data platform team unless its meta names another owner."""
        return super().get_owners(dbt_resource_props) or [DATA_PLATFORM]
