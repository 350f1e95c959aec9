"""The dbt project, found once. Its manifest is prepared before any run needs it."""

from __future__ import annotations

from dagster_dbt import DbtProject

from orchestration.lib.settings import DBT_PROJECT_DIR, put_dbt_on_path

put_dbt_on_path()

kizuna_dbt = DbtProject(project_dir=DBT_PROJECT_DIR)
kizuna_dbt.prepare_if_dev()  # under `dagster dev`: re-parse on every load to pick up edits
if not kizuna_dbt.manifest_path.exists():
    # CLI runs and tests on a fresh clone: `kizuna run` re-prepares explicitly; this covers the rest
    kizuna_dbt.preparer.prepare(kizuna_dbt)
