"""How dbt nodes become Dagster assets: the single place for the naming policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

OWNER = "team:data-platform"


class KizunaDbtTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """Models are keyed by schema and name (staging/stg_segment__events); sources by their dagster meta."""
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """The model's top folder (staging, intermediate, marts) is its group."""
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "transform"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        """Every model belongs to the data platform team unless its meta names another owner."""
        return super().get_owners(dbt_resource_props) or [OWNER]
