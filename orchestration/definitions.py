"""The single entry point of the Kizuna code location: loads everything under defs/, lists nothing."""

import atexit
import gc
from pathlib import Path

import dagster as dg
from dagster.components import load_from_defs_folder

# At exit, Python collects garbage across every object of the 4,600 modules a run imports (Dagster, dbt, Great
# Expectations, pandas): 1 to 2 s at the end of every run process and CLI call. Freezing the heap first leaves
# the memory to the operating system; objects are still released by reference counting, and warehouse
# connections and files are closed by the code that opened them, not by the collector.
atexit.register(gc.freeze)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions.merge(
        load_from_defs_folder(path_within_project=Path(__file__).parent),
        # Every step touches the one DuckDB file, which admits a single writer
        # process: run a job's steps in one process, one after another.
        dg.Definitions(executor=dg.in_process_executor),
    )
