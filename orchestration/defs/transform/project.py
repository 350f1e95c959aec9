"""The dbt project, found once. Its manifest is prepared before any run needs it."""

from __future__ import annotations

import json

from dagster_dbt import DbtProject

from orchestration.lib.settings import DBT_PROJECT_DIR, Settings, put_dbt_on_path

put_dbt_on_path()
settings = Settings.from_env()

# Parse with the vars and the profile that runs use, so that dbt starts a run from this parse instead of
# parsing the whole project again (about 2 s) because the vars or the profile changed.
kizuna_dbt = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    prepare_project_cli_args=["parse", "--quiet", "--vars", json.dumps(settings.dbt_vars())],
)
# under `dagster dev`, re-parse on every load to pick up edits; CLI runs and tests on a fresh clone need a
# manifest too (`kizuna prepare`, which `kizuna run` calls, re-prepares explicitly)
if kizuna_dbt.preparer.using_dagster_dev() or not kizuna_dbt.manifest_path.exists():
    settings.publish()
    kizuna_dbt.preparer.prepare(kizuna_dbt)
