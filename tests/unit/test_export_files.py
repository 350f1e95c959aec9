"""Exports on a small hand-built warehouse: vendor hashing, consent, deltas, atomic files, the churn gate."""

import json
from datetime import UTC, datetime

import duckdb
import pytest

from orchestration.lib.atomic import write_atomic
from orchestration.lib.exports.destinations import Destination, DestinationError, destinations_from_manifest
from orchestration.lib.exports.files import compute_delta
from orchestration.lib.exports.formats import FORMATS, google_phone, meta_phone
from orchestration.lib.exports.run import export_destination, held_segments, verify_destination

# Published normalisation example (TikTok's customer-file guide uses Google's rules: trim, lower-case, SHA-256):
# "janedoe@gmail.com" -> d6117306...; phone digests computed independently with coreutils' sha256sum.
JANE = "d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69"
PHONE_E164 = "3d06a39d40790f11761295e053029378ae28c4b4f6f301693005e079f3d4ca64"  # "+819012345678"
PHONE_DIGITS = "0ad07193350775c6d4377f8b039d32877e66c69a454ed886b05279771c0fca0b"  # "819012345678"


def test_google_and_meta_normalise_and_hash_as_they_specify():
    google, meta = FORMATS["google_customer_match_csv"], FORMATS["meta_audience_csv"]
    person = {"personal_email": "  JaneDoe@Gmail.com ", "personal_phone": "+819012345678"}
    assert google.row(("personal_email", "personal_phone"), person) == (JANE, PHONE_E164)
    assert meta.row(("personal_email", "personal_phone"), person) == (JANE, PHONE_DIGITS)
    assert google_phone("+81 90-1234-5678") == "+819012345678" and meta_phone("+81 90-1234-5678") == "819012345678"
    # no gmail dot removal for Customer Match (that rule is for Enhanced Conversions only); digest by sha256sum
    dotted = "831f6494ad6be4fcb3a724c3d5fef22d3ceffa3c62ef3a7984e45a0ea177f982"  # "jane.doe@gmail.com"
    assert google.row(("personal_email",), {"personal_email": "Jane.Doe@gmail.com"}) == (dotted,)
    assert google.row(("personal_email", "personal_phone"), {"personal_email": None, "personal_phone": None}) == (
        "",
        "",
    )


def test_destinations_come_from_exposures_and_bad_ones_are_refused():
    exposure = {
        "name": "ads",
        "config": {
            "meta": {
                "destination": {
                    "format": "google_customer_match_csv",
                    "purpose": "ads_audience",
                    "channel": "all",
                    "fields": ["personal_email"],
                }
            }
        },
    }
    found = destinations_from_manifest({"exposures": {"exposure.kizuna.ads": exposure, "other": {"name": "x"}}})
    assert list(found) == ["ads"] and found["ads"].fields == ("personal_email",)
    exposure["config"]["meta"]["destination"]["fields"] = ["personal_email", "first_name"]  # names may not leave
    with pytest.raises(DestinationError, match="cannot carry first_name"):
        destinations_from_manifest({"exposures": {"e": exposure}})


def test_write_atomic_leaves_the_old_file_or_the_new_one_never_half(tmp_path, monkeypatch):
    target = tmp_path / "a" / "file.csv"
    write_atomic(target, b"one\n")
    write_atomic(target, b"two\n")
    assert target.read_bytes() == b"two\n"

    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", crash)  # the writer dies just before the rename
    with pytest.raises(OSError):
        write_atomic(target, b"three, much longer than two\n")
    assert target.read_bytes() == b"two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.csv"]  # no temporary file left behind


def test_delta_follows_the_values_the_vendor_matches_on():
    # a new e-mail: the old address is removed and the new one added
    delta = compute_delta({"k1": ("old@mail.jp",)}, {"k1": ("new@mail.jp",)})
    assert delta.removed == {"k1": ("old@mail.jp",)} and delta.added == {"k1": ("new@mail.jp",)}
    # two keys merged into one, same address: nothing is removed from the vendor
    delta = compute_delta({"k1": ("a@mail.jp",), "k2": ("b@mail.jp",)}, {"k2": ("b@mail.jp",), "k9": ("a@mail.jp",)})
    assert delta.removed == {} and delta.added == {"k9": ("a@mail.jp",)}
    # only removals of people who withdrew are marked as withdrawals
    delta = compute_delta({"k1": ("a@mail.jp",), "k2": ("b@mail.jp",)}, {}, withdrawn={"k1"})
    assert delta.withdrawn == {"k1"} and set(delta.removed) == {"k1", "k2"}


KLAVIYO = Destination(
    "klaviyo", "Klaviyo", "klaviyo_csv", "email_marketing", "email", ("best_email", "first_name"), 0.5, 4
)


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("""
        CREATE SCHEMA marts; CREATE SCHEMA segments;
        CREATE TABLE marts.customer_profiles (customer_key VARCHAR, best_email VARCHAR, first_name VARCHAR);
        CREATE TABLE marts.customer_consents (
            customer_key VARCHAR, purpose VARCHAR, channel VARCHAR, is_granted BOOLEAN);
        CREATE TABLE marts.segment_memberships (customer_key VARCHAR, segment_name VARCHAR, exited_at TIMESTAMP);
        CREATE TABLE segments.segment_definitions (segment_name VARCHAR, purpose VARCHAR, definition_version VARCHAR,
                                                   destinations VARCHAR[]);
        INSERT INTO segments.segment_definitions VALUES ('fans', 'email_marketing', 'v1', ['klaviyo']);
    """)
    for i in range(10):
        con.execute("INSERT INTO marts.customer_profiles VALUES (?, ?, ?)", [f"k{i}", f"p{i}@mail.jp", f"P{i}"])
        con.execute("INSERT INTO marts.customer_consents VALUES (?, 'email_marketing', 'email', ?)", [f"k{i}", i != 9])
        con.execute("INSERT INTO marts.segment_memberships VALUES (?, 'fans', NULL)", [f"k{i}"])
    yield con
    con.close()


def full_file(folder):
    """The full file the segment's newest manifest names."""
    return folder / json.loads((folder / "manifest.json").read_text())["files"]["full"]["path"]


def at(minute: int) -> datetime:
    return datetime(2026, 11, 1, 9, minute, tzinfo=UTC)


def test_only_consented_people_leave_and_a_withdrawal_becomes_a_removal(con, tmp_path):
    exports = tmp_path / "exports"
    first = export_destination(con, exports, KLAVIYO, at(0))
    assert [(o.segment, o.status, o.rows, o.added) for o in first.outcomes] == [("fans", "exported", 9, 9)]
    folder = exports / "klaviyo" / "fans"
    full = full_file(folder).read_text().splitlines()
    assert full[0] == "Email,First Name,Email Marketing Consent"
    assert "p9@mail.jp,P9,Subscribed" not in full and len(full) == 10  # k9 never granted
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["files"]["full"]["rows"] == 9 and manifest["segment_definition_version"] == "v1"
    assert verify_destination(con, exports, KLAVIYO) == []

    con.execute("UPDATE marts.customer_consents SET is_granted = false WHERE customer_key = 'k3'")
    second = export_destination(con, exports, KLAVIYO, at(1))
    assert [(o.rows, o.added, o.removed) for o in second.outcomes] == [(8, 0, 1)]
    delta = (folder / "deltas" / f"{second.export_id}.csv").read_text().splitlines()
    assert delta == [
        "change,customer_key,Email,First Name,Email Marketing Consent",
        "removed,k3,p3@mail.jp,P3,Unsubscribed",
    ]
    assert not any(p.name.startswith(".") for p in folder.rglob("*"))  # no temporary file left behind


def test_verification_catches_a_row_without_consent(con, tmp_path):
    exports = tmp_path / "exports"
    export_destination(con, exports, KLAVIYO, at(0))
    con.execute("UPDATE marts.customer_consents SET is_granted = false WHERE customer_key = 'k5'")  # after export
    problems = verify_destination(con, exports, KLAVIYO)
    assert len(problems) == 1 and "1 row(s) without a current grant for email_marketing/email" in problems[0]


def test_churn_gate_holds_a_big_move_until_approved_but_never_holds_a_withdrawal(con, tmp_path):
    exports = tmp_path / "exports"
    export_destination(con, exports, KLAVIYO, at(0))
    folder = exports / "klaviyo" / "fans"
    before = full_file(folder).read_bytes()
    con.execute(
        "UPDATE marts.segment_memberships SET exited_at = now() WHERE customer_key IN ('k0','k1','k2','k3','k4','k5')"
    )

    held = export_destination(con, exports, KLAVIYO, at(1))
    assert [o.status for o in held.outcomes] == ["held"]
    assert "membership moved by 67%" in held.outcomes[0].message and "approve_churn: [fans]" in held.outcomes[0].message
    assert full_file(folder).read_bytes() == before  # the last export stays in place
    assert held_segments(con, "klaviyo") == [held.outcomes[0].message]

    con.execute("UPDATE marts.customer_consents SET is_granted = false WHERE customer_key = 'k7'")
    still_held = export_destination(con, exports, KLAVIYO, at(2))
    assert [(o.status, o.rows, o.removed) for o in still_held.outcomes] == [("held", 8, 1)]
    assert "p7@mail.jp" not in full_file(folder).read_text()  # the withdrawal went out all the same
    assert verify_destination(con, exports, KLAVIYO) == []

    approved = export_destination(con, exports, KLAVIYO, at(3), approved=frozenset({"fans"}))
    assert [(o.status, o.rows, o.removed) for o in approved.outcomes] == [("exported", 2, 6)]
    assert held_segments(con, "klaviyo") == []


def test_a_segment_no_longer_routed_is_emptied_with_removals(con, tmp_path):
    exports = tmp_path / "exports"
    export_destination(con, exports, KLAVIYO, at(0))
    con.execute("UPDATE segments.segment_definitions SET destinations = []")
    report = export_destination(con, exports, KLAVIYO, at(1))
    assert [(o.status, o.rows, o.removed) for o in report.outcomes] == [("retired", 0, 9)]
    folder = exports / "klaviyo" / "fans"
    assert full_file(folder).read_text().splitlines() == ["Email,First Name,Email Marketing Consent"]
    delta = (folder / "deltas" / f"{report.export_id}.csv").read_text().splitlines()
    assert delta[1] == "removed,k0,p0@mail.jp,P0,"  # leaving a list is not unsubscribing
