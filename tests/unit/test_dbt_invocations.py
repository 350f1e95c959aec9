"""What each dbt step leaves behind in the project's target folder, and what it sets while it runs."""

import os

from orchestration.defs.transform.assets import prune_invocations
from orchestration.defs.transform.in_process import _environment


def test_only_the_newest_invocation_folders_stay(tmp_path):
    for age, name in enumerate(["kizuna_dbt_models-a1", "kizuna_dbt_models_2-b2", "kizuna_dbt_models-c3"]):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "dbt.log").write_text("log")
        os.utime(folder, (1_000_000 + age, 1_000_000 + age))  # a1 is the oldest, c3 the newest
    (tmp_path / "compiled").mkdir()  # the project's own parse output is not an invocation's
    (tmp_path / "manifest.json").write_text("{}")

    prune_invocations(tmp_path, "kizuna_dbt_models", keep=2)

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "compiled",
        "kizuna_dbt_models-c3",
        "kizuna_dbt_models_2-b2",
        "manifest.json",
    ]
    prune_invocations(tmp_path, "kizuna_dbt_models", keep=2)  # nothing more to do
    assert len(list(tmp_path.iterdir())) == 4


def test_a_dbt_commands_environment_is_its_own(monkeypatch):
    monkeypatch.setenv("KIZUNA_AS_OF", "2026-01-01")
    monkeypatch.delenv("KIZUNA_DBT_EXAMPLE", raising=False)
    with _environment({"KIZUNA_AS_OF": "2026-11-02", "KIZUNA_DBT_EXAMPLE": "1"}):
        assert os.environ["KIZUNA_AS_OF"] == "2026-11-02" and os.environ["KIZUNA_DBT_EXAMPLE"] == "1"
    assert os.environ["KIZUNA_AS_OF"] == "2026-01-01"
    assert "KIZUNA_DBT_EXAMPLE" not in os.environ
