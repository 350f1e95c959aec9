"""How dbt nodes become Dagster assets: the single place for the naming policy."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import yaml
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from orchestration.defs.owners import DATA_PLATFORM
from orchestration.lib.exports.manifest import node_fingerprints


class KizunaDbtTranslator(DagsterDbtTranslator):
    def __init__(self, manifest_path: Path, project_dir: Path) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))
        self.manifest_path = manifest_path
        # the vars of dbt_project.yml (the as-of date, passed at run time, is read past staging only)
        project = yaml.safe_load((project_dir / "dbt_project.yml").read_text())
        self.project_vars = json.dumps(project.get("vars") or {}, sort_keys=True, default=str)

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

    def get_code_version(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """What the node is built and tested with: its SQL and config, every macro it calls (transitively), its
        tests, and the project's vars. dbt's checksum covers the file only, and a change to a macro
        (normalize_email), a var (default_phone_country_code) or a test must make the models stale, which the
        daily run then rebuilds (orchestration/defs/ops/daily.py)."""
        fingerprint = node_fingerprints(self.manifest_path).get(dbt_resource_props["unique_id"])
        if fingerprint is None:
            return super().get_code_version(dbt_resource_props)
        return hashlib.sha256(f"{fingerprint}\0{self.project_vars}".encode()).hexdigest()[:24]

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        """Every model belongs to the data platform team unless its meta names another owner."""
        return super().get_owners(dbt_resource_props) or [DATA_PLATFORM]
