"""The real code location, run by Dagster on a generated zone: every asset, dbt test and check."""

import json
import os
import subprocess

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs as load_defs
from orchestration.defs.transform.in_process import parse_message
from orchestration.lib.identity.evaluate import evaluate
from orchestration.lib.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR, Settings
from orchestration.lib.warehouse import logged_checkpoint
from tests.consent_oracle import violations as consent_violations

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    return load_defs()


def run_everything(defs: dg.Definitions, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    job = defs.resolve_job_def("materialize_everything")
    return job.execute_in_process(instance=instance, raise_on_error=False)


def test_asset_graph_snapshot(defs):
    """A change to the graph shows up here, in review."""
    graph = defs.resolve_asset_graph()
    keys = sorted(key.to_user_string() for key in graph.get_all_asset_keys())
    assert keys == [
        "clv/customer_predictions",
        "clv/model_parameters",
        "config/attribute_catalog",
        "config/consent_purposes",
        "config/identity_blocklist",
        "config/identity_identifier_types",
        "config/prefectures",
        "config/products",
        "config/question_catalog",
        "config/retention_policies",
        "config/rfm_segments",
        "exports/google_ads_customer_match",
        "exports/klaviyo_contacts",
        "exports/line_audience",
        "exports/meta_custom_audience",
        "identity/customer_identifiers",
        "identity/customer_key_changes",
        "identity/customer_keys",
        "identity/dropped_edges",
        "intermediate/int_consent_decisions",
        "intermediate/int_customer_attribute_candidates",
        "intermediate/int_customer_orders",
        "intermediate/int_customer_product_interactions",
        "intermediate/int_customer_shopping_signals",
        "intermediate/int_identity_edges",
        "intermediate/int_identity_nodes",
        "intermediate/int_identity_observations",
        "intermediate/int_identity_record_customers",
        "intermediate/int_identity_record_nodes",
        "intermediate/int_identity_values_blocked",
        "intermediate/int_privacy_request_subjects",
        "intermediate/int_segment_members",
        "intermediate/int_segment_profiles",
        "marts/clv_model_parameters",
        "marts/customer_attributes",
        "marts/customer_consents",
        "marts/customer_identities",
        "marts/customer_key_changes",
        "marts/customer_next_questions",
        "marts/customer_profiles",
        "marts/identity_link_decisions",
        "marts/segment_memberships",
        "personas/customer_personas",
        "privacy/access_bundles",
        "privacy/attribute_activation",
        "privacy/erasure",
        "privacy/retention",
        "raw/consent_events",
        "raw/deletion_requests",
        "raw/email_engagement",
        "raw/events",
        "raw/loaded_files",
        "raw/pos_transactions",
        "raw/shopify_customers",
        "raw/shopify_orders",
        "raw/zero_party",
        "segments/segment_definitions",
        "staging/stg_consent__decisions",
        "staging/stg_opendsr__requests",
        "staging/stg_opendsr__subject_identities",
        "staging/stg_pos__receipt_lines",
        "staging/stg_segment__events",
        "staging/stg_sendgrid__events",
        "staging/stg_shopify__customer_exports",
        "staging/stg_shopify__customer_snapshots",
        "staging/stg_shopify__customers",
        "staging/stg_shopify__order_lines",
        "staging/stg_shopify__orders",
        "staging/stg_typeform__answers",
        "staging/stg_typeform__questions_shown",
        "staging/stg_typeform__responses",
    ]
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, f"{key} has no description"
        assert node.group_name in {
            "ingest",
            "staging",
            "identity",
            "profiles",
            "consent",
            "segments",
            "exports",
            "privacy",
        }, key
        assert node.owners, f"{key} has no owner"
    check_names = {check.name for check in graph.asset_check_keys}
    assert {
        "rows_reconcile_per_file",
        "all_files_readable",
        "gx_identifier_formats",
        "every_row_has_consent",
        "nothing_held_for_review",
        "erasures_done_in_time",
    } <= check_names
    assert any(name.startswith("unique_") for name in check_names)  # dbt tests are asset checks
    assert sorted(job.name for job in defs.jobs) == [
        "materialize_everything",
        "privacy_requests",
        "rebuild_staging",
        "reject_file_job",
        "retention_daily",
    ]
    assert [schedule.name for schedule in defs.schedules] == ["daily_everything", "daily_retention"]
    assert sorted(sensor.name for sensor in defs.sensors) == sorted(
        f"landing_{source}"
        for source in (
            "events",
            "shopify_customers",
            "shopify_orders",
            "pos_transactions",
            "email_engagement",
            "zero_party",
            "consent_events",
            "deletion_requests",
        )
    )


def test_everything_materializes_and_every_check_passes(sample_home, defs, tmp_path):
    settings = Settings.from_env()
    with dg.DagsterInstance.ephemeral() as instance:
        result = run_everything(defs, instance)
        assert result.success
        # dbt ran inside the steps' process (no subprocess to start), each invocation in its own target folder
        logs = list((DBT_PROJECT_DIR / "target").glob(f"kizuna_dbt_models*-{result.run_id[:7]}-*/dbt.log"))
        assert len(logs) >= 2 and all(json.loads(p.open().readline())["info"]["pid"] == os.getpid() for p in logs)
        # and each let the warehouse go, logging how long DuckDB took to write it (the bench counts that as SQL)
        checkpoints = [
            record.step_key
            for record in instance.all_logs(result.run_id)
            if record.dagster_event is None and logged_checkpoint(record.user_message)
        ]
        assert len(checkpoints) == len(logs) and all(step.startswith("kizuna_dbt_models") for step in checkpoints)
        # the run parsed the project once, at its first dbt step; the others ran on that parse
        messages = [record.user_message for record in instance.all_logs(result.run_id)]
        assert sum(message.startswith("dbt parsed the project in") for message in messages) == 1
        assert messages.count(parse_message(None)) == len(logs) - 1
        evaluations = [
            e.event_specific_data
            for e in result.all_events
            if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ]
        failed = [f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations if not e.passed]
        assert failed == []
        checked = {(e.asset_key.to_user_string(), e.check_name) for e in evaluations}
        assert ("raw/events", "rows_reconcile_per_file") in checked
        assert ("staging/stg_segment__events", "unique_keys_of_latest_build_stg_segment__events_message_id") in checked
        assert ("staging/stg_segment__events", "gx_identifier_formats") in checked

        ingest = instance.get_latest_materialization_event(dg.AssetKey(["raw", "events"]))
        metadata = ingest.asset_materialization.metadata
        assert metadata["new_files"].value > 0
        assert metadata["rows_read"].value == metadata["rows_loaded"].value + metadata["rows_quarantined"].value
        assert metadata["rows_quarantined"].value > 0
        assert (
            sum(v.value for k, v in metadata.items() if k.startswith("quarantined/"))
            == metadata["rows_quarantined"].value
        )
        # numbers the UI plots across evaluations: segment sizes, the profile completeness distribution
        by_check = {e.check_name: e.metadata for e in evaluations}
        assert any(key.startswith("members/") for key in by_check["gx_memberships_history"])
        assert any(key.startswith("people_with_completeness/") for key in by_check["gx_profiles_shape"])

        with duckdb.connect(str(settings.warehouse)) as con:
            accuracy = evaluate(con, sample_home / "truth")
        assert accuracy.precision >= 0.995, accuracy  # identity resolution against the generator's truth
        assert accuracy.recall >= 0.98, accuracy
        assert accuracy.eligible_records > 0.9 * accuracy.records

        # exports: a manifest per destination and segment; an independent reading of consent from the landing
        # files finds a current grant behind every exported row
        manifests = {path.parent.parent.name for path in (sample_home / "exports").glob("*/*/manifest.json")}
        assert manifests == {"klaviyo_contacts", "google_ads_customer_match", "meta_custom_audience", "line_audience"}
        checked, problems = consent_violations(sample_home)
        assert checked > 20 and problems == []

        # the dbt unit tests, which scheduled runs leave out (their inputs are fixed), on the built warehouse
        unit = subprocess.run(
            [DBT_EXECUTABLE, "test", "--select", "test_type:unit", "--target-path", str(tmp_path / "dbt-target")],
            cwd=DBT_PROJECT_DIR,
            env={**os.environ, **settings.subprocess_env(), **settings.dbt_env()},
            capture_output=True,
            text=True,
        )
        assert unit.returncode == 0 and "PASS=" in unit.stdout, unit.stdout[-3000:]

        second = run_everything(defs, instance)
        assert second.success
        again = instance.get_latest_materialization_event(dg.AssetKey(["raw", "events"])).asset_materialization
        assert again.metadata["new_files"].value == 0
        assert again.metadata["dagster/row_count"].value == metadata["dagster/row_count"].value
