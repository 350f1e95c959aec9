"""Consent-gated exports end to end, on a zone written in the vendors' formats and run four times."""

import csv
import json

import dagster as dg
import duckdb
import pytest

from orchestration.cli import main as cli
from orchestration.definitions import defs as load_defs
from orchestration.lib.exports.formats import FORMATS
from orchestration.lib.settings import Settings
from tests.landing_builders import (
    consent_receipt,
    segment,
    sendgrid_event,
    set_mtime,
    shopify_customers_csv,
    shopify_order_row,
    shopify_orders_csv,
    write,
)

pytestmark = pytest.mark.slow

# as of 2026-11-01 each of them last ordered in February: lapsed, so in win_back_lapsed
PEOPLE = {
    "aiko": ("6200000000101", "aiko@gmail.com", "+819011110001"),
    "ben": ("6200000000102", "ben@yahoo.co.jp", "+819011110002"),
    "chie": ("6200000000103", "chie@gmail.com", "+819011110003"),
    "dai": ("6200000000104", "dai@gmail.com", "+819011110004"),
}
WIN_BACK = "win_back_lapsed"  # routed to Klaviyo, Google Ads and Meta
DESTINATIONS = ("klaviyo_contacts", "google_ads_customer_match", "meta_custom_audience")


@pytest.fixture(scope="module")
def defs():
    return load_defs()


def run(defs, instance, *groups: str) -> dg.ExecuteInProcessResult:
    """The whole graph, as the daily schedule runs it, or the named asset groups only."""
    keys = dg.AssetSelection.groups(*groups).resolve(defs.resolve_asset_graph()) if groups else None
    return defs.resolve_job_def("materialize_everything").execute_in_process(
        instance=instance, raise_on_error=False, asset_selection=list(keys) if keys else None
    )


def folder(home, destination):
    return home / "exports" / destination / WIN_BACK


def manifest(home, destination) -> dict:
    return json.loads((folder(home, destination) / "manifest.json").read_text())


def full_rows(home, destination) -> set[tuple[str, ...]]:
    path = folder(home, destination) / manifest(home, destination)["files"]["full"]["path"]
    lines = list(csv.reader(path.open()))
    return {tuple(row) for row in lines[1:]}


def row_of(home, destination, who) -> tuple[str, ...]:
    """The row the vendor should receive for ``who``, rendered from the plain values."""
    described = manifest(home, destination)
    file_format = FORMATS[described["format"]]
    _, email, phone = PEOPLE[who]
    values = {"best_email": email, "personal_email": email, "personal_phone": phone}
    row = file_format.row(tuple(described["fields"]), values)
    return row + ((file_format.consent_column[1],) if file_format.consent_column else ())


def latest_delta(home, destination) -> set[tuple[str, str]]:
    path = folder(home, destination) / manifest(home, destination)["files"]["delta"]["path"]
    return {(change, key) for change, key, *_ in list(csv.reader(path.open()))[1:]}


def check_results(result) -> dict[tuple[str, str], bool]:
    return {
        (e.asset_key.to_user_string(), e.check_name): e.passed
        for e in (
            event.event_specific_data
            for event in result.all_events
            if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
        )
    }


AIKO_IN_SHOPIFY = {"Customer ID": "'6200000000101", "Email": "aiko@gmail.com", "Accepts Email Marketing": "yes"}


@pytest.fixture
def consent_home(kizuna_home):
    events, orders = [], []
    for n, (who, (customer_id, email, phone)) in enumerate(PEOPLE.items()):
        traits = {"email": email, "phone": phone}
        events.append(
            segment(f"id-{who}", "identify", "2025-01-01T00:00:00Z", f"dev-{who}", customer_id, traits=traits)
        )
        orders.append(shopify_order_row(f"#EX{n}", 9100 + n, email, "2026-02-01 12:00:00 +0900", 5000 + n))
    # Aiko also uses a work address, linked to her account
    work = {"email": "aiko.work@icloud.com"}
    events.append(segment("id-aiko-2", "identify", "2025-03-01T00:00:00Z", "dev-aiko", "6200000000101", traits=work))
    write(kizuna_home, "events/identify.jsonl", events)
    write(kizuna_home, "shopify_orders/orders.csv", shopify_orders_csv(orders))

    receipts = []
    for who in ("aiko", "ben", "dai"):  # Chie never consented to anything
        customer_id, email, _ = PEOPLE[who]
        for purpose, channel in (("email_marketing", "email"), ("ads_audience", "all")):
            subject = {"email": email, "customer_id": customer_id}
            at = "2025-01-01T10:00:00+09:00"
            receipts.append(consent_receipt(f"r-{who}-{purpose}", at, subject, purpose, channel, "granted"))
    write(kizuna_home, "consent_events/receipts.jsonl", receipts)
    # Dai unsubscribed from an e-mail since: no e-mail marketing, so win-back reaches him nowhere
    unsubscribe = sendgrid_event("sg-dai", "2025-06-01T10:00:00+09:00", "dai@gmail.com", "unsubscribe")
    write(kizuna_home, "email_engagement/sendgrid.jsonl", [unsubscribe])
    export = write(kizuna_home, "shopify_customers/export-2025-02.csv", shopify_customers_csv([AIKO_IN_SHOPIFY]))
    set_mtime(export, "2025-02-01T00:00:00+09:00")
    # Aiko asks what the brand holds about her, giving her work address as she typed it
    request = {
        "subject_request_id": "req-aiko-access",
        "subject_request_type": "access",
        "submitted_time": "2026-10-01T00:00:00Z",
        "subject_identities": [
            {"identity_type": "email", "identity_value": " Aiko.Work@iCloud.com", "identity_format": "raw"}
        ],
        "api_version": "1.0",
        "regulation": "appi",
    }
    write(kizuna_home, "deletion_requests/opendsr.jsonl", [json.dumps(request)])
    return kizuna_home


def test_consent_gates_every_destination_and_a_withdrawal_anywhere_is_sent_as_removals(
    consent_home, defs, monkeypatch, tmp_path
):
    home = consent_home
    with dg.DagsterInstance.ephemeral() as instance:
        first = run(defs, instance)
        assert first.success
        for destination in DESTINATIONS:
            assert full_rows(home, destination) == {row_of(home, destination, "aiko"), row_of(home, destination, "ben")}
            assert manifest(home, destination)["files"]["full"]["rows"] == 2
        checks = check_results(first)
        bundle = json.loads((home / "privacy" / "access" / "req-aiko-access.json").read_text())
        assert {i["identifier_value"] for i in bundle["identities"] if i["identifier_type"] == "email"} == {
            "aiko@gmail.com",
            "aiko.work@icloud.com",
        }
        assert bundle["summary"]["orders"] == 1 and bundle["summary"]["consent_decisions"] >= 2
        assert bundle["summary"]["events"] == 2 and bundle["profile"][0]["lifecycle_stage"] == "lapsed"
        assert all(checks[(f"exports/{d}", "every_row_has_consent")] for d in DESTINATIONS)

        # Aiko unsubscribes through her other address; Ben withdraws ads consent by phone, typed full-width
        aiko_unsubscribes = sendgrid_event(
            "sg-aiko", "2026-10-20T10:00:00+09:00", "aiko.work@icloud.com", "unsubscribe"
        )
        write(home, "email_engagement/sendgrid-2.jsonl", [aiko_unsubscribes])
        by_phone = {"phone": "０９０－１１１１－０００２"}
        ben_withdraws = consent_receipt(
            "r-ben-off", "2026-10-21T10:00:00+09:00", by_phone, "ads_audience", "all", "withdrawn"
        )
        write(home, "consent_events/receipts-2.jsonl", [ben_withdraws])
        # Shopify, which never heard of the unsubscribe, still says "yes" in a later export: no new decision
        later_export = write(home, "shopify_customers/export-2026-10.csv", shopify_customers_csv([AIKO_IN_SHOPIFY]))
        set_mtime(later_export, "2026-10-25T00:00:00+09:00")
        second = run(defs, instance)
        assert second.success

        with duckdb.connect(str(Settings.from_env().warehouse), read_only=True) as con:
            key = dict(
                con.execute(
                    "SELECT identifier_value, customer_key FROM marts.customer_identities "
                    "WHERE identifier_type = 'shopify_customer_id'"
                ).fetchall()
            )
            memberships = con.execute(
                "SELECT count(*) FROM marts.segment_memberships WHERE segment_name = ? AND exited_at IS NULL",
                [WIN_BACK],
            ).fetchall()[0][0]
        aiko, ben = key[PEOPLE["aiko"][0]], key[PEOPLE["ben"][0]]
        assert memberships == 4  # consent does not change who is in a segment, only who is exported

        assert full_rows(home, "klaviyo_contacts") == {row_of(home, "klaviyo_contacts", "ben")}
        assert latest_delta(home, "klaviyo_contacts") == {("removed", aiko)}
        for destination in ("google_ads_customer_match", "meta_custom_audience"):
            assert full_rows(home, destination) == set()
            assert latest_delta(home, destination) == {("removed", aiko), ("removed", ben)}
        assert all(check_results(second)[(f"exports/{d}", "every_row_has_consent")] for d in DESTINATIONS)

        # Ben asks to be erased: every export file loses him (the hashed ones too), each destination that had
        # him gets a notice naming his key only, and the rewritten files still match their manifests
        erase_ben = {
            "subject_request_id": "req-ben-erasure",
            "subject_request_type": "erasure",
            "submitted_time": "2026-10-28T00:00:00Z",
            "subject_identities": [
                {
                    "identity_type": "controller_customer_id",
                    "identity_value": PEOPLE["ben"][0],
                    "identity_format": "raw",
                }
            ],
            "api_version": "1.0",
            "regulation": "appi",
        }
        write(home, "deletion_requests/erase-ben.jsonl", [json.dumps(erase_ben)])
        erased = run(defs, instance)
        assert erased.success
        _, ben_email, ben_phone = PEOPLE["ben"]
        ben_forms = [
            ben_email,
            ben_phone,
            ben_phone[3:],
            *(
                FORMATS[f].row(
                    ("personal_email", "personal_phone"), {"personal_email": ben_email, "personal_phone": ben_phone}
                )
                for f in ("google_customer_match_csv", "meta_audience_csv")
            ),
        ]
        ben_forms = [form for item in ben_forms for form in ([item] if isinstance(item, str) else item)]
        exported = [p for p in (home / "exports").rglob("*") if p.is_file()]
        assert not [p for p in exported for form in ben_forms if form.encode() in p.read_bytes()]
        assert full_rows(home, "klaviyo_contacts") == set()
        for destination in DESTINATIONS:
            (notice,) = (home / "exports" / destination / "erasures").glob("*.csv")
            assert notice.read_text() == f"change,customer_key\nerased,{ben}\n"
        assert all(check_results(erased)[(f"exports/{d}", "every_row_has_consent")] for d in DESTINATIONS)

        # a rule naming an unknown column stops the segments, and nothing is exported from them
        segments = tmp_path / "segments"
        segments.mkdir()
        (segments / "broken.yml").write_text(
            "segments:\n  - {name: shoe_lovers, description: d, owner: team:crm, maturity: one_to_many,\n"
            "     rule: \"shoe_colour = 'red'\", purpose: email_marketing, destinations: [klaviyo_contacts]}\n"
        )
        monkeypatch.setenv("KIZUNA_SEGMENTS_DIR", str(segments))
        third = run(defs, instance)
        assert not third.success
        failures = [e for e in third.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
        assert [e.step_key for e in failures] == ["segments__segment_definitions"]
        message = failures[0].event_specific_data.error.message
        assert "broken.yml: segment 'shoe_lovers': rule \"shoe_colour = 'red'\" names unknown column" in message
        materialized = {e.asset_key.to_user_string() for e in third.get_asset_materialization_events()}
        assert not any(key.startswith("exports/") for key in materialized)

        # a landing file whose e-mail column is junk fails a blocking check at the door: nothing downstream of
        # it runs, so nothing is exported
        monkeypatch.delenv("KIZUNA_SEGMENTS_DIR")
        junk = [
            shopify_order_row(f"#JUNK{n}", 9900 + n, f"n/a {n}", "2026-10-30 12:00:00 +0900", 100) for n in range(40)
        ]
        write(home, "shopify_orders/orders-junk.csv", shopify_orders_csv(junk))
        fourth = run(defs, instance)
        assert not fourth.success
        assert check_results(fourth)[("raw/shopify_orders", "gx_emails_look_like_emails")] is False
        materialized = {e.asset_key.to_user_string() for e in fourth.get_asset_materialization_events()}
        assert "raw/shopify_orders" in materialized
        assert not any(key.startswith(("staging/", "marts/", "exports/")) for key in materialized), materialized
        # and a later run of the exports alone is held by the export gate while that check stays failed
        exports_only = run(defs, instance, "exports")
        assert not exports_only.success
        held = [e for e in exports_only.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
        assert held and all(
            "blocking check(s) failed upstream: raw/shopify_orders:gx_emails_look_like_emails"
            in e.event_specific_data.error.message
            for e in held
        )
        assert not exports_only.get_asset_materialization_events()

        # a good file after the junk does not reopen the gate: it judges everything since it last passed, and
        # the next build would stage both
        later = [shopify_order_row("#EX9", 9199, "ben@gmail.com", "2026-10-31 12:00:00 +0900", 7000)]
        write(home, "shopify_orders/orders-later.csv", shopify_orders_csv(later))
        ingest_only = run(defs, instance, "ingest")
        assert check_results(ingest_only)[("raw/shopify_orders", "gx_emails_look_like_emails")] is False
        (gate,) = [
            e.event_specific_data
            for e in ingest_only.all_events
            if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
            and e.event_specific_data.check_name == "gx_emails_look_like_emails"
            and e.event_specific_data.asset_key.to_user_string() == "raw/shopify_orders"
        ]
        assert gate.metadata["files_judged"].value == 2  # the junk file and the later one, judged together
        assert "files under 50 rows, together" in gate.metadata["out_of_bounds"].value
        # the operator takes the junk file out; its rows wait in the quarantine with the reason
        assert cli(["reject", "shopify_orders/orders-junk.csv", "--reason", "vendor export with a broken column"]) == 0
        with duckdb.connect(str(Settings.from_env().warehouse), read_only=True) as con:
            quarantined = con.execute(
                "SELECT count(*), any_value(reason) FROM raw.quarantine WHERE file = 'shopify_orders/orders-junk.csv'"
            ).fetchone()
            assert quarantined == (40, "rejected by operator: vendor export with a broken column")
            assert con.execute(
                "SELECT count(*) FROM raw.shopify_orders WHERE _file = 'shopify_orders/orders-junk.csv'"
            ).fetchone() == (0,)
        assert cli(["reject", "shopify_orders/orders-junk.csv", "--reason", "again"]) == 1  # once is enough
        fifth = run(defs, instance)
        assert fifth.success
        checks = check_results(fifth)
        assert checks[("raw/shopify_orders", "gx_emails_look_like_emails")] is True
        assert checks[("raw/shopify_orders", "rows_reconcile_per_file")] is True  # the rejected rows add up
        assert all(checks[(f"exports/{d}", "every_row_has_consent")] for d in DESTINATIONS)
