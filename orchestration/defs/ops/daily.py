"""What the daily run materializes: the whole graph but the raw sources with nothing new to load and the
staging models that nothing new reaches.

On most days only some sources deliver (the events every day, a Shopify export now and then). Ingesting the
others finds nothing to load but still re-checks them, and staging them again, with their tests, cost most of a
daily run of ingestion and staging. A raw source is left alone when its landing folder is as its latest load
saw it (retention and erasure rewrite the files they take records out of, so the folder changes then too) and
its checks passed; the rules, for both, are orchestration/lib/unchanged.py. The facts come from Dagster's
records: each asset's latest materialization (a raw asset's landing folder; a model's code version and the data
versions it was built from), each raw asset's current data version, and the latest evaluation of each check.
Everything past staging is rebuilt daily. A file that lands after the schedule fires is loaded by its landing
sensor's run, or the next day's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import dagster as dg
from dagster._core.definitions.assets.graph.asset_graph import AssetGraph
from dagster._core.definitions.data_version import (
    CODE_VERSION_TAG,
    DATA_VERSION_TAG,
    DEFAULT_DATA_VERSION,
    get_input_data_version_tag,
)
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from orchestration.defs.ingest.assets import LANDING_FINGERPRINT
from orchestration.lib.arrivals import landing_fingerprint
from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.unchanged import Build, unchanged_models, unchanged_sources

LEFT_ALONE_GROUP = "staging"  # built only from raw: past staging, models read many layers and are rebuilt
RAW_SOURCES = [dg.AssetKey(["raw", contract.source]) for contract in CONTRACTS.values()]


def daily_selection(instance: dg.DagsterInstance, graph: AssetGraph, landing: Path) -> list[dg.AssetKey]:
    """Every materializable asset but the raw sources and staging models a run can leave alone, in the graph's
    order."""
    alone = left_alone(instance, graph, landing)
    return [key for key in graph.toposorted_asset_keys if graph.get(key).is_materializable and key not in alone]


def left_alone(instance: dg.DagsterInstance, graph: AssetGraph, landing: Path) -> set[dg.AssetKey]:
    raw = [key for key in RAW_SOURCES if graph.has(key)]
    models = [key for key in graph.materializable_asset_keys if graph.get(key).group_name == LEFT_ALONE_GROUP]
    parents = {key: graph.get(key).parent_keys for key in models}
    assets = {*raw, *models, *_flatten(parents.values())}
    entries = {record.asset_entry.asset_key: record.asset_entry for record in instance.get_asset_records(list(assets))}
    latest = {key: entry.last_materialization for key, entry in entries.items()}
    waiting = _raw_with_files_waiting(latest, landing)
    failing = _with_checks_not_passed(instance, graph, [*raw, *models])
    quiet_raw = unchanged_sources(raw, loaded={key for key in raw if latest.get(key)}, waiting=waiting, failing=failing)
    tags = {key: event.asset_materialization.tags or {} for key, event in latest.items() if event}
    data_versions = {key: _observed_version(entries.get(key)) for key in assets if not graph.get(key).is_materializable}
    data_versions |= {key: tag[DATA_VERSION_TAG] for key, tag in tags.items() if DATA_VERSION_TAG in tag}
    builds = {
        key: Build(
            code_version=tags[key].get(CODE_VERSION_TAG),
            input_data_versions={dep: tags[key].get(get_input_data_version_tag(dep)) for dep in parents[key]},
        )
        for key in models
        if key in tags
    }
    return quiet_raw | unchanged_models(
        models=models,
        parents=parents,
        code_versions={key: graph.get(key).code_version for key in models},
        builds=builds,
        data_versions=data_versions,
        changing=waiting,
        failing=failing,
    )


def _observed_version(entry) -> str:
    """An external asset's data version as a build reads it: its latest observation's, or the version Dagster
    gives what nothing observes (the ingestion ledger, which the raw assets write, is not observed)."""
    observation = entry.last_observation if entry else None
    observed = (observation.asset_observation.tags or {}).get(DATA_VERSION_TAG) if observation else None
    return observed or DEFAULT_DATA_VERSION.value


def _raw_with_files_waiting(latest: dict, landing: Path) -> list[dg.AssetKey]:
    """The raw assets whose landing folder differs from what their latest run loaded (or that never ran)."""
    waiting = []
    for key, contract in zip(RAW_SOURCES, CONTRACTS.values(), strict=True):
        event = latest.get(key)
        seen = event.asset_materialization.metadata.get(LANDING_FINGERPRINT) if event else None
        if seen is None or seen.value != landing_fingerprint(landing, contract.source, contract.format)[0]:
            waiting.append(key)
    return waiting


def _with_checks_not_passed(instance: dg.DagsterInstance, graph: AssetGraph, models: list) -> list[dg.AssetKey]:
    checks = [check for key in models for check in graph.get(key).check_keys]
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(checks)
    not_passed = {
        check.asset_key
        for check in checks
        if check not in latest or latest[check].status != AssetCheckExecutionRecordStatus.SUCCEEDED
    }
    return list(not_passed)


def _flatten(groups: Iterable[Iterable]) -> set:
    return {item for group in groups for item in group}
