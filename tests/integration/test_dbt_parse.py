"""dbt's parse across days: a new as-of date must not make a run's dbt step parse the project again."""

import json

import pytest
from dbt.cli.main import dbtRunner

from orchestration.defs.transform.in_process import cli_paths, parse
from orchestration.lib.settings import DBT_PROJECT_DIR

pytestmark = pytest.mark.slow


def test_the_next_days_parse_reads_no_file_and_its_date_reaches_the_sql(tmp_path, monkeypatch):
    target = tmp_path / "target"
    monkeypatch.setenv("KIZUNA_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("KIZUNA_AS_OF", "2026-11-01")
    parse(DBT_PROJECT_DIR, target, [])  # the first parse reads every file

    monkeypatch.setenv("KIZUNA_AS_OF", "2026-11-02")
    manifest = parse(DBT_PROJECT_DIR, target, [])
    assert json.loads((target / "perf_info.json").read_text())["parsed_path_count"] == 0

    compiled = dbtRunner(manifest=manifest).invoke(
        ["compile", "--select", "customer_attributes", "customer_profiles", *cli_paths(DBT_PROJECT_DIR, target)]
    )
    assert compiled.success, compiled.exception
    sql = {result.node.name: result.node.compiled_code for result in compiled.result}
    assert "cast('2026-11-02' as date)" in sql["customer_attributes"]
    assert "= '11'" in sql["customer_profiles"]  # the birthday month, from the same date
