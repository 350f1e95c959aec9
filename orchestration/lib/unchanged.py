"""Which raw sources and models a daily run can leave alone: nothing they load or are built from has changed.

A raw source is left alone when it has been loaded, its landing folder is as its latest load saw it, and each of
its checks passed at its latest evaluation.

A model is left alone when all of these hold:
- it has been built, with the code it has now (its SQL and config, the macros it calls, its tests, the vars);
- each asset it is built from has the data version it had when the model was built, and the run will not
  change it: a raw source with landing files not loaded yet will change, and so will a model that is rebuilt;
- each of its checks passed at its latest evaluation (a failed check is evaluated again, so that it still
  blocks what is built downstream).

Data versions are Dagster's: a raw asset's changes only when the ledger records a file, and a dbt model's is
Dagster's hash of its code version and the data versions it was built from.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Build:
    """What a model's latest build recorded."""

    code_version: str | None
    input_data_versions: Mapping[Hashable, str | None]  # parent asset -> its data version the build read


def unchanged_sources(
    sources: Iterable[Hashable],
    loaded: Collection[Hashable],
    waiting: Collection[Hashable],
    failing: Collection[Hashable],
) -> set:
    """The raw ``sources`` a run can leave alone: ``loaded`` before, with no landing file ``waiting`` (their
    folder differs from what their latest load saw) and not ``failing`` (a check that did not pass)."""
    return {source for source in sources if source in loaded and source not in waiting and source not in failing}


def unchanged_models(
    models: Iterable[Hashable],
    parents: Mapping[Hashable, Collection[Hashable]],
    code_versions: Mapping[Hashable, str | None],
    builds: Mapping[Hashable, Build],
    data_versions: Mapping[Hashable, str],
    changing: Iterable[Hashable],
    failing: Iterable[Hashable],
) -> set:
    """The ``models`` a run can leave alone (assets are any hashable keys: Dagster's asset keys here).

    ``parents``: each model's parent assets; ``code_versions``: each model's code version now; ``builds``: what
    each model's latest build recorded (absent: never built); ``data_versions``: each asset's data version now
    (absent: never materialized); ``changing``: assets the run will change whatever happens (raw sources
    with files waiting); ``failing``: models with a check whose latest evaluation did not pass."""
    candidates, changing, failing = set(models), set(changing), set(failing)
    verdicts: dict[Hashable, bool] = {}

    def unchanged(model: Hashable) -> bool:
        if model not in verdicts:
            verdicts[model] = False  # a cycle (there are none in a dbt project) counts as changed
            build = builds.get(model)
            verdicts[model] = (
                build is not None
                and model not in failing
                and code_versions.get(model) is not None
                and build.code_version == code_versions[model]
                and all(_parent_unchanged(parent, build) for parent in parents.get(model, ()))
            )
        return verdicts[model]

    def _parent_unchanged(parent: Hashable, build: Build) -> bool:
        if parent in changing or (parent in candidates and not unchanged(parent)):
            return False
        current = data_versions.get(parent)
        return current is not None and build.input_data_versions.get(parent) == current

    return {model for model in candidates if unchanged(model)}
