from datetime import date
from pathlib import Path

import pytest

from orchestration.lib.settings import REPO_ROOT, Settings


def test_defaults_put_everything_under_repo_data():
    settings = Settings.from_env({})
    assert settings.home == REPO_ROOT / "data"
    assert settings.landing == settings.home / "landing"
    assert settings.warehouse == settings.home / "warehouse.duckdb"
    assert settings.exports == settings.home / "exports"
    assert settings.as_of == date.today()


def test_relative_home_is_resolved_and_every_path_follows_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({"KIZUNA_HOME": "elsewhere", "KIZUNA_AS_OF": "2026-03-01"})
    assert settings.home == tmp_path / "elsewhere"
    for path in (settings.landing, settings.warehouse, settings.exports, settings.truth, settings.dagster_home):
        assert Path(path).is_relative_to(settings.home)
    assert settings.as_of == date(2026, 3, 1)
    assert settings.subprocess_env()["KIZUNA_WAREHOUSE"] == str(tmp_path / "elsewhere" / "warehouse.duckdb")


def test_bad_as_of_names_the_variable():
    with pytest.raises(ValueError, match="KIZUNA_AS_OF"):
        Settings.from_env({"KIZUNA_AS_OF": "01/03/2026"})
