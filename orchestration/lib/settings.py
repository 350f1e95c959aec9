"""The one place that decides paths and environment.

Everything Kizuna writes lives under ``KIZUNA_HOME`` (default ``./data``), so
pointing it elsewhere runs the whole platform on another landing zone without
touching the default one. Anything time-relative uses ``KIZUNA_AS_OF``
(default: today) so that results are reproducible.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_SEGMENTS_DIR = DBT_PROJECT_DIR / "segments"
# dbt installed beside the running interpreter (the project's venv), even when the venv is not activated
_VENV_DBT = Path(sys.executable).parent / "dbt"
DBT_EXECUTABLE = str(_VENV_DBT) if _VENV_DBT.exists() else (shutil.which("dbt") or "dbt")


@dataclass(frozen=True)
class Settings:
    home: Path
    as_of: date
    segments_dir: Path = DEFAULT_SEGMENTS_DIR

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        home = Path(env.get("KIZUNA_HOME") or REPO_ROOT / "data")
        if not home.is_absolute():
            home = Path.cwd() / home
        as_of_text = env.get("KIZUNA_AS_OF")
        try:
            as_of = date.fromisoformat(as_of_text) if as_of_text else date.today()
        except ValueError as exc:
            raise ValueError(f"KIZUNA_AS_OF must be an ISO date (YYYY-MM-DD), got {as_of_text!r}") from exc
        segments = Path(env.get("KIZUNA_SEGMENTS_DIR") or DEFAULT_SEGMENTS_DIR)
        return cls(home=home.resolve(), as_of=as_of, segments_dir=segments.resolve())

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def exports(self) -> Path:
        return self.home / "exports"

    @property
    def truth(self) -> Path:
        """Ground truth written by the sample generator, kept out of the landing zone."""
        return self.home / "truth"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def dbt_log_dir(self) -> Path:
        return self.home / "logs" / "dbt"

    def subprocess_env(self) -> dict[str, str]:
        """Paths that dbt (a subprocess) reads in ``profiles.yml``, resolved to absolute paths.

        The as-of date is deliberately not exported: a long-lived process (the
        Dagster daemon) must compute it afresh for every run; a dbt command
        receives it through ``dbt_env``, for as long as it runs.
        """
        return {
            "KIZUNA_HOME": str(self.home),
            "KIZUNA_WAREHOUSE": str(self.warehouse),
            "DBT_LOG_PATH": str(self.dbt_log_dir),
        }

    def dbt_env(self) -> dict[str, str]:
        """What a dbt command reads besides the paths: the as-of date (dbt_project/macros/as_of_date.sql)."""
        return {"KIZUNA_AS_OF": self.as_of.isoformat()}

    def publish(self) -> None:
        """Expose the resolved paths to child processes (dbt reads them from the environment)."""
        os.environ.update(self.subprocess_env())
        put_dbt_on_path()


def put_dbt_on_path() -> None:
    """dagster-dbt's manifest preparation runs `dbt` from PATH; the venv need not be activated."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
