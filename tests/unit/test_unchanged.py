"""Which raw sources and staging models a daily run leaves alone (orchestration/lib/unchanged.py), and the code
version of a dbt model, which covers the macros it calls."""

import json

from orchestration.lib.exports.manifest import macro_fingerprints
from orchestration.lib.unchanged import Build, unchanged_models, unchanged_sources

# raw/a feeds stg_a, which feeds stg_a_view; raw/b feeds stg_b
PARENTS = {"stg_a": ["raw/a"], "stg_a_view": ["stg_a"], "stg_b": ["raw/b"]}
CODE = {"stg_a": "ca", "stg_a_view": "cv", "stg_b": "cb"}
VERSIONS = {"raw/a": "a1", "raw/b": "b1", "stg_a": "sa1", "stg_a_view": "sv1", "stg_b": "sb1"}
BUILDS = {
    "stg_a": Build("ca", {"raw/a": "a1"}),
    "stg_a_view": Build("cv", {"stg_a": "sa1"}),
    "stg_b": Build("cb", {"raw/b": "b1"}),
}


def test_a_raw_source_is_left_alone_only_loaded_with_nothing_waiting_and_its_checks_passed():
    sources = ["raw/a", "raw/b", "raw/c", "raw/d"]
    loaded = {"raw/a", "raw/b", "raw/c"}  # raw/d never loaded
    assert unchanged_sources(sources, loaded, waiting={"raw/b"}, failing={"raw/c"}) == {"raw/a"}
    assert unchanged_sources(sources, loaded, waiting=set(), failing=set()) == loaded


def left_alone(**changes) -> set:
    arguments = dict(
        models=list(PARENTS),
        parents=PARENTS,
        code_versions=CODE,
        builds=BUILDS,
        data_versions=VERSIONS,
        changing=[],
        failing=[],
    )
    return unchanged_models(**{**arguments, **changes})


def test_nothing_new_leaves_every_model_alone():
    assert left_alone() == {"stg_a", "stg_a_view", "stg_b"}


def test_a_source_with_new_data_rebuilds_what_it_feeds_and_only_that():
    assert left_alone(data_versions={**VERSIONS, "raw/a": "a2"}) == {"stg_b"}  # loaded by an earlier run
    assert left_alone(changing=["raw/a"]) == {"stg_b"}  # files waiting: this run will load them


def test_new_code_rebuilds_the_model_and_what_reads_it():
    assert left_alone(code_versions={**CODE, "stg_a": "ca2"}) == {"stg_b"}
    assert left_alone(code_versions={**CODE, "stg_a_view": "cv2"}) == {"stg_a", "stg_b"}
    assert left_alone(code_versions={**CODE, "stg_b": None}) == {"stg_a", "stg_a_view"}  # unknown: rebuilt


def test_a_model_never_built_or_with_a_check_not_passed_is_built():
    assert left_alone(builds={k: v for k, v in BUILDS.items() if k != "stg_b"}) == {"stg_a", "stg_a_view"}
    assert left_alone(failing=["stg_a"]) == {"stg_b"}
    assert left_alone(data_versions={k: v for k, v in VERSIONS.items() if k != "raw/b"}) == {"stg_a", "stg_a_view"}


def test_a_macro_fingerprint_covers_the_macros_it_calls(tmp_path):
    def manifest(normalize_sql: str) -> dict:
        path = tmp_path / f"manifest-{len(normalize_sql)}.json"
        macros = {
            "macro.k.normalize": {"macro_sql": normalize_sql, "depends_on": {"macros": ["macro.k.trim"]}},
            "macro.k.trim": {"macro_sql": "trim({{ x }})", "depends_on": {"macros": []}},
            "macro.k.email": {"macro_sql": "{{ normalize(x) }}", "depends_on": {"macros": ["macro.k.normalize"]}},
            "macro.k.loop": {"macro_sql": "{{ loop(x) }}", "depends_on": {"macros": ["macro.k.loop"]}},
            "macro.k.other": {"macro_sql": "1", "depends_on": {"macros": []}},
        }
        path.write_text(json.dumps({"macros": macros}))
        return macro_fingerprints(path)

    before, after = manifest("lower({{ trim(x) }})"), manifest("lower(strip_accents({{ trim(x) }}))")
    assert before["macro.k.email"] != after["macro.k.email"]  # through the macro it calls
    assert before["macro.k.other"] == after["macro.k.other"] and before["macro.k.trim"] == after["macro.k.trim"]
    assert before["macro.k.loop"] == after["macro.k.loop"]  # a macro calling itself ends


def test_a_models_code_version_covers_its_config_macros_tests_and_the_project_vars(tmp_path):
    from orchestration.defs.transform.translator import KizunaDbtTranslator

    def code_version(name: str, vars_: dict, values=("a", "b"), materialized="view", trim_sql="trim(x)") -> str:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "dbt_project.yml").write_text(json.dumps({"name": "k", "vars": vars_}))  # YAML is JSON's superset
        model = {
            "unique_id": "model.k.stg",
            "raw_code": "select {{ trim('x') }}",
            "config": {"materialized": materialized},
            "depends_on": {"macros": ["macro.k.trim"]},
        }
        test = {
            "unique_id": "test.k.accepted",
            "raw_code": "{{ test_accepted_values(**_dbt_generic_test_kwargs) }}",
            "config": {"severity": "ERROR"},
            "test_metadata": {"name": "accepted_values", "kwargs": {"values": list(values)}},
            "depends_on": {"macros": ["macro.dbt.test_accepted_values"]},
        }
        macros = {"macro.k.trim": {"macro_sql": trim_sql, "depends_on": {"macros": []}}}
        manifest = {"nodes": {"model.k.stg": model, "test.k.accepted": test}, "macros": macros}
        manifest["child_map"] = {"model.k.stg": ["test.k.accepted"]}
        (folder / "manifest.json").write_text(json.dumps(manifest))
        return KizunaDbtTranslator(folder / "manifest.json", folder).get_code_version(model)

    base = code_version("base", {"country": "81"})
    assert code_version("same", {"country": "81"}) == base
    assert code_version("var", {"country": "82"}) != base
    assert code_version("test", {"country": "81"}, values=("a", "b", "c")) != base
    assert code_version("config", {"country": "81"}, materialized="table") != base
    assert code_version("macro", {"country": "81"}, trim_sql="btrim(x)") != base
