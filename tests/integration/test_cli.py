"""`kizuna run` as a user runs it: another KIZUNA_HOME, a hand-written zone in the vendors' formats."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.settings import REPO_ROOT

pytestmark = pytest.mark.slow
HANDMADE = Path(__file__).parent / "handmade_landing"
DBT_TARGET = REPO_ROOT / "dbt_project" / "target"


def _files_parsed_by_dbt_steps(since: float) -> list[int]:
    """How many files each dbt step that started after ``since`` and parsed (a run's first; its others run on
    that parse) parsed, by dbt's perf_info.json: none when it started from the parse `kizuna run` prepared."""
    folders = [p for p in DBT_TARGET.glob("kizuna_dbt_models*") if p.stat().st_mtime >= since]
    parses = [folder / "perf_info.json" for folder in folders if (folder / "perf_info.json").exists()]
    return [json.loads(path.read_text())["parsed_path_count"] for path in parses]


def _latest_write(root: Path) -> float:
    return max((p.stat().st_mtime for p in root.rglob("*")), default=0.0) if root.exists() else 0.0


def test_kizuna_run_on_a_handmade_zone_elsewhere(tmp_path):
    home = tmp_path / "elsewhere"
    shutil.copytree(HANDMADE, home / "landing")
    default_home = REPO_ROOT / "data"
    before = _latest_write(default_home)
    started = time.time()
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "KIZUNA_WAREHOUSE")}
    env.update({"KIZUNA_HOME": str(home), "KIZUNA_AS_OF": "2026-11-01"})
    kizuna = [sys.executable, "-m", "orchestration.cli", "run"]

    first = subprocess.run(kizuna, env=env, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert f"KIZUNA_HOME  {home}" in first.stdout
    assert "generating a sample" not in first.stdout  # the zone was not empty

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        for source in CONTRACTS:
            assert con.execute(f"SELECT count(*) FROM raw.{source}").fetchone()[0] > 0, source
        quarantine = con.execute("SELECT file, line, reason FROM raw.quarantine ORDER BY file").fetchall()
        assert quarantine == [
            ("events/segment-2026-10-30.jsonl", 5, "track call without event"),
            ("pos_transactions/pos-2026-10.csv", 3, "field quantity is not an integer"),
        ]
        assert con.execute(
            "SELECT email, phone FROM staging.stg_segment__events WHERE message_id = 'hm-2'"
        ).fetchone() == ("keiko.sato@example.jp", "+819055551212")
        assert con.execute("SELECT count(*) FROM staging.stg_segment__events").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM staging.stg_shopify__order_lines").fetchone()[0] == 2
        rows_before = con.execute("SELECT sum(rows_loaded) FROM raw.loaded_files").fetchone()[0]

    assert "this run: 8 new file(s)" in first.stdout
    assert set(_files_parsed_by_dbt_steps(started)) == {0}  # prepared with the runs' vars and profile, seeds too
    second_started = time.time()
    second = subprocess.run(kizuna, env=env, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert second.returncode == 0, second.stderr[-3000:]
    assert set(_files_parsed_by_dbt_steps(second_started)) == {0}, (
        "a dbt step parsed the project again instead of starting from the parse `kizuna run` prepared"
    )
    assert "this run: 0 new file(s), 0 rows loaded, 0 quarantined" in second.stdout
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT sum(rows_loaded), count(*) FROM raw.loaded_files").fetchone() == (rows_before, 8)
    assert (home / "dagster" / "dagster.yaml").exists()  # run history lives under KIZUNA_HOME too
    assert _latest_write(default_home) == before or _latest_write(default_home) < started
