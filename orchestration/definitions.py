"""The single entry point of the Kizuna code location: loads everything under defs/, lists nothing."""

from pathlib import Path

import dagster as dg
from dagster.components import load_from_defs_folder


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions.merge(
        load_from_defs_folder(path_within_project=Path(__file__).parent),
        # Every step touches the one DuckDB file, which admits a single writer
        # process: run a job's steps in one process, one after another.
        dg.Definitions(executor=dg.in_process_executor),
    )
