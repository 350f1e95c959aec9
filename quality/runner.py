"""Validate a DataFrame against a suite; results and Data Docs are written under KIZUNA_HOME/quality."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from orchestration.lib.atomic import write_atomic
from quality.suites import SuiteSpec

KEEP_RESULTS = 10  # validation results (and Data Docs pages) kept per suite: the index reads every one of them


@dataclass(frozen=True)
class Outcome:
    success: bool
    evaluated: int
    failed: list[dict]  # expectation type, column, unexpected count (never the values: they may be PII)
    docs_index: Path | None
    docs_page: Path | None  # this validation's own page: what a check links to


def guard_values(frame: pd.DataFrame, spec: SuiteSpec) -> dict[str, float]:
    """The current value of each of the suite's guarded shares."""
    return {g.metric: float(frame[g.column].mean()) for g in spec.guards if len(frame)}


def last_passing(quality_home: Path) -> dict[str, float]:
    """Guarded shares as measured at their last passing validation."""
    return _read_json(quality_home / "guards.json")


def remember_passing(quality_home: Path, values: dict[str, float]) -> None:
    _merge_json(quality_home / "guards.json", values)


def passed_through(quality_home: Path) -> dict[str, str]:
    """Per suite judged since its last pass: the latest load time it had judged then (ISO 8601)."""
    return _read_json(quality_home / "passed_through.json")


def measure(con, spec: SuiteSpec, quality_home: Path) -> tuple[pd.DataFrame, dict[str, float], str | None]:
    """What the suite validates, its trend numbers, and the mark it judged from (suites judged since
    their last pass; None: from the start)."""
    mark = passed_through(quality_home).get(spec.name) if spec.since_last_pass else None
    params = {"passed_through": mark} if spec.since_last_pass else {}
    frame = con.execute(spec.query, params).df()
    trend = dict(con.execute(spec.trend, params).fetchall()) if spec.trend else {}
    return frame, trend, mark


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def _merge_json(path: Path, values: dict) -> None:
    merged = {**_read_json(path), **values}
    write_atomic(path, (json.dumps(merged, indent=2, sort_keys=True) + "\n").encode())


def validate(frame: pd.DataFrame, spec: SuiteSpec, quality_home: Path) -> Outcome:
    return validate_all([(frame, spec)], quality_home)[0]


def validate_all(batch: list[tuple[pd.DataFrame, SuiteSpec]], quality_home: Path) -> list[Outcome]:
    """Validate each frame against its suite (see ``_validate_all``), but a suite that judges what arrived since
    its last pass passes without a validation when nothing has arrived: there is nothing to judge, its latest
    validation and Data Docs page still stand, and a batch with nothing new does not import Great Expectations
    at all (most sources deliver nothing on most days)."""
    judged = [not (spec.since_last_pass and frame.empty) for frame, spec in batch]
    to_judge = [pair for pair, judge in zip(batch, judged, strict=True) if judge]
    outcomes = iter(_validate_all(to_judge, quality_home) if to_judge else [])
    index = _site(quality_home) / "index.html"
    nothing_new = Outcome(True, 0, [], index if index.exists() else None, None)
    return [next(outcomes) if judge else nothing_new for judge in judged]


def _validate_all(batch: list[tuple[pd.DataFrame, SuiteSpec]], quality_home: Path) -> list[Outcome]:
    """Validate each frame against its suite, then write their Data Docs pages in one pass.

    One pass because rendering dominates (about 0.1 s a page, the index included): the index is rendered once
    for the batch, and a suite's own page only when the suite changed."""
    gx = _import_great_expectations()
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    context = gx.get_context(mode="file", project_root_dir=str(quality_home))
    bars = context.variables.progress_bars  # an object when set here, a dict once read back from the file
    if bars.get("globally", True) if isinstance(bars, dict) else bars is None or bars.globally:
        context.variables.progress_bars = ProgressBarsConfig(globally=False)  # run logs, not terminals
        context.variables.save()
    source = context.data_sources.add_or_update_pandas("kizuna")
    uncommitted = quality_home / "gx" / "uncommitted"
    site = _site(quality_home)
    rendered = _read_json(quality_home / "suite_pages.json")  # suite -> fingerprint of its rendered page
    results, pages_due, fingerprints = [], [], {}
    for frame, spec in batch:
        asset = next((a for a in source.assets if a.name == spec.name), None) or source.add_dataframe_asset(spec.name)
        whole = next((b for b in asset.batch_definitions if b.name == "whole"), None)
        suite = spec.build(last_passing(quality_home))
        fingerprint = _fingerprint(suite)
        if rendered.get(spec.name) != fingerprint or not (site / "expectations" / f"{spec.name}.html").exists():
            pages_due.append(ExpectationSuiteIdentifier(name=spec.name))
            fingerprints[spec.name] = fingerprint
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(
                name=spec.name,
                data=whole or asset.add_batch_definition_whole_dataframe("whole"),
                suite=context.suites.add_or_update(suite),
            )
        )
        # counts only: unexpected values would carry identifiers into results, Data Docs and run metadata
        result = definition.run(
            batch_parameters={"dataframe": frame},
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 0},
        )
        if result.success:
            _remember_pass(frame, spec, quality_home)
        results.append(result)
    these = _keep_latest_results(context, [r.meta["run_id"] for r in results], uncommitted / "validations", site)
    # only the pages this batch changed: rebuilding the whole site re-renders every kept result
    context.build_data_docs(resource_identifiers=[*pages_due, *these])
    _merge_json(quality_home / "suite_pages.json", fingerprints)
    index = site / "index.html"
    outcomes = []
    for (_, spec), result in zip(batch, results, strict=True):
        key = next((k for k in these if k.expectation_suite_identifier.name == spec.name), None)
        page = site / "validations" / Path(*key.to_tuple()).with_suffix(".html") if key else None
        failed = [
            {
                "expectation": r.expectation_config.type,
                "column": r.expectation_config.kwargs.get("column"),
                "unexpected": r.result.get("unexpected_count"),
            }
            for r in result.results
            if not r.success
        ]
        outcomes.append(
            Outcome(
                result.success,
                len(result.results),
                failed,
                index if index.exists() else None,
                page if page and page.exists() else None,
            )
        )
    return outcomes


def _site(quality_home: Path) -> Path:
    return quality_home / "gx" / "uncommitted" / "data_docs" / "local_site"


DEFERRED = ("scipy.stats", "altair")  # what GX imports and no Kizuna suite uses (_import_great_expectations)


def _import_great_expectations():
    """Great Expectations, imported where a validation runs (it takes a second and a half).

    GX imports ``scipy.stats`` for its distribution expectations and Altair for the charts of one of them (KL
    divergence), which no Kizuna suite uses; running the two is a third of GX's import (0.5 s and 0.15 s), so
    each is deferred until something reads it (``_defer``)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no usage events leave the machine
    for unused in DEFERRED:
        if unused not in sys.modules:
            _defer(unused)
    import great_expectations

    return great_expectations


def _defer(name: str) -> None:
    """Put the submodule ``name`` in place without running its code, which runs the first time one of its
    attributes is read; the module object is the same before and after, so every reference to it sees it whole.

    Its import metadata (``__file__``, ``__spec__``, ``__path__``) is there from the start and reading it runs
    nothing: code that walks every loaded module does that (``inspect.getmodule``, which dbt calls for each
    behaviour flag of its adapter), and the standard library's ``LazyLoader``, which runs the module at any
    attribute read, ran SciPy's statistics in every run that validated before dbt built. A thread that reads the
    module while another runs it waits for it; if its code fails, the next read runs it again and raises.

    One limit: importing one of its submodules by full name (``import scipy.stats._stats_py``) before the module
    has run would run that submodule before the package's own code, out of the usual order (and a second thread
    reading the module meanwhile could deadlock). Kizuna's code and Great Expectations only read them as
    ``scipy.stats``, ``from scipy import stats`` and ``import altair as alt``."""
    spec = importlib.util.find_spec(name)
    module = importlib.util.module_from_spec(spec)
    lock = threading.RLock()  # re-entrant: the module's own code may read its attributes as it runs
    ran = []

    def __getattr__(attribute: str):  # PEP 562: a module calls it for the names it does not have
        with lock:
            if not ran:
                ran.append(True)
                try:
                    spec.loader.exec_module(module)
                except BaseException:
                    ran.clear()
                    raise
                if module.__dict__.get("__getattr__") is __getattr__:
                    del module.__dict__["__getattr__"]
        if attribute in module.__dict__:
            return module.__dict__[attribute]
        own = module.__dict__.get("__getattr__")
        if own is not None and own is not __getattr__:
            return own(attribute)
        raise AttributeError(f"module {name!r} has no attribute {attribute!r}")

    module.__getattr__ = __getattr__
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(importlib.import_module(parent), child, module)


def _remember_pass(frame: pd.DataFrame, spec: SuiteSpec, quality_home: Path) -> None:
    """Keep what a passing validation measured: its guarded shares, and how far a since-last-pass suite judged."""
    remember_passing(quality_home, guard_values(frame, spec))
    judged = frame["judged_through"].max() if spec.since_last_pass and "judged_through" in frame else None
    if judged is not None and not pd.isna(judged):  # nothing arrived: the mark stays where it was
        _merge_json(quality_home / "passed_through.json", {spec.name: judged.isoformat()})


def _fingerprint(suite) -> str:
    """What a suite's page shows: its expectations, without the ids the store gives them."""
    expectations = [{"type": e.expectation_type, "kwargs": e.configuration.kwargs} for e in suite.expectations]
    return hashlib.sha256(json.dumps(expectations, sort_keys=True, default=str).encode()).hexdigest()


def _keep_latest_results(context, run_ids: list, stored: Path, site: Path) -> list:
    """Drop all but each suite's latest KEEP_RESULTS validation results (and their pages); return the keys of
    the results of ``run_ids``.

    Data Docs are for reading recent validations (each check's history of outcomes lives in Dagster), and a
    store that grows with every run makes every later run slower."""
    store = context.validation_results_store
    by_suite: dict[str, list] = {}
    for key in store.list_keys():
        by_suite.setdefault(key.expectation_suite_identifier.name, []).append(key)
    kept = []
    for keys in by_suite.values():
        keys.sort(key=lambda key: key.run_id.run_time)
        for key in keys[:-KEEP_RESULTS]:
            store.remove_key(key)
            for folder in (stored, site / "validations"):
                shutil.rmtree(folder.joinpath(*key.to_tuple()[:3]), ignore_errors=True)  # suite/run name/run time
        kept += keys[-KEEP_RESULTS:]
    return [key for key in kept if key.run_id in run_ids]
