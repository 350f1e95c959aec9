"""Shared fixtures: a generated landing zone and an isolated KIZUNA_HOME per test."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from orchestration.lib.sample.generator import generate

AS_OF = date(2026, 11, 1)
SAMPLE_CUSTOMERS = 400
SAMPLE_SEED = 11


def pytest_configure(config):
    """Parse the dbt project before any test imports the code location: its manifest must match the files."""
    from orchestration.lib.settings import DBT_PROJECT_DIR, put_dbt_on_path

    put_dbt_on_path()
    from dagster_dbt import DbtProject

    project = DbtProject(project_dir=DBT_PROJECT_DIR)
    project.preparer.prepare(project)


@pytest.fixture(scope="session")
def generated_zone(tmp_path_factory) -> Path:
    """A generated KIZUNA_HOME (landing + truth), built once; copy it before writing to it."""
    home = tmp_path_factory.mktemp("generated")
    generate(home / "landing", home / "truth", SAMPLE_CUSTOMERS, SAMPLE_SEED, AS_OF, workers=1)
    return home


@pytest.fixture
def kizuna_home(tmp_path, monkeypatch) -> Path:
    """An empty KIZUNA_HOME, set in the environment for the test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("KIZUNA_HOME", str(home))
    monkeypatch.setenv("KIZUNA_AS_OF", AS_OF.isoformat())
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    return home


@pytest.fixture
def sample_home(kizuna_home, generated_zone) -> Path:
    """KIZUNA_HOME holding a private copy of the generated landing zone and truth."""
    shutil.copytree(generated_zone / "landing", kizuna_home / "landing")
    shutil.copytree(generated_zone / "truth", kizuna_home / "truth")
    return kizuna_home
