"""The erasure matcher (same normal forms as the dbt macros) and the record-level rewrite of files."""

import gzip
import json

import pytest

from orchestration.lib.ingest.rewrite import Span, drop_records
from orchestration.lib.privacy.matching import Suppression, normal_email, normal_forms, normal_phone
from orchestration.lib.privacy.verify import search_terms
from tests.dbt.test_normalizers import EMAILS, PHONES


@pytest.mark.parametrize(("raw", "expected"), EMAILS)
def test_email_forms_agree_with_the_dbt_macro(raw, expected):
    assert normal_email(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), PHONES)
def test_phone_forms_agree_with_the_dbt_macro(raw, expected):
    assert normal_phone(raw) == expected
    if expected:
        assert expected in normal_forms(raw)


SUBJECT = ["aiko.tanaka@example.jp", "+819012345678", "1234567890123456", "U0123456789abcdef0123456789abcdef"]


@pytest.fixture
def suppression() -> Suppression:
    suppression = Suppression(b"salt")
    suppression.add(SUBJECT)
    return suppression


@pytest.mark.parametrize(
    ("text", "file_format"),
    [
        ('{"traits": {"email": "Aiko.Tanaka@Example.JP"}}', "jsonl"),
        ('{"form_response": {"hidden": {"phone": "０９０−１２３４−５６７８"}}}', "jsonl"),
        ('{"answers": [{"text": "please write to aiko.tanaka@example.jp, thanks"}]}', "jsonl"),
        ('{"card": "1234-5678-9012-3456"}', "jsonl"),
        ('{"context": {"traits": {"line": "U0123456789ABCDEF0123456789ABCDEF"}}}', "jsonl"),
        ("1001,Aiko,'+81 90-1234-5678,yes", "csv"),
        ('{"email": "aiko.tanaka@example.jp", broken', "jsonl"),  # not JSON: its tokens are searched
    ],
)
def test_a_record_about_the_subject_matches_in_any_typed_form(suppression, text, file_format):
    assert suppression.record_matches(text, file_format)


@pytest.mark.parametrize(
    "text",
    [
        '{"traits": {"email": "aiko.tanaka@example.com"}}',
        '{"phone": "090-1234-5679", "quantity": 1, "price": 12345678}',
        '{"event": "Product Viewed", "timestamp": "2026-01-05T10:00:00Z"}',
    ],
)
def test_other_records_do_not_match(suppression, text):
    assert not suppression.record_matches(text, "jsonl")


def test_the_list_holds_no_identifier_in_plain(suppression):
    listed = " ".join(suppression.digests)
    assert all(value.lower() not in listed for value in SUBJECT)
    unsalted = Suppression(b"other salt", set(suppression.digests))
    assert not unsalted.record_matches('{"e": "aiko.tanaka@example.jp"}', "jsonl")


def test_search_terms_cover_national_and_full_width_phone_forms():
    terms = search_terms(["+819012345678"])
    assert {"+819012345678", "819012345678", "09012345678", "090-1234-5678", "０９０１２３４５６７８"} <= set(terms)


def _drop_lines(numbers):
    return lambda line, _text: line in numbers


def test_jsonl_rewrite_keeps_every_other_byte():
    data = b'{"a":1}\r\n\r\n{"a":2}\r\n{"a":3}'
    rewrite = drop_records("f.jsonl", data, "jsonl", _drop_lines({3}))
    assert rewrite.data == b'{"a":1}\r\n\r\n{"a":3}'
    assert rewrite.removed == [Span(3, 1)]
    last = drop_records("f.jsonl", data, "jsonl", _drop_lines({4}))
    assert last.data == b'{"a":1}\r\n\r\n{"a":2}\r\n'
    assert drop_records("f.jsonl", data, "jsonl", _drop_lines(set())) is None


def test_csv_rewrite_drops_whole_multiline_records_and_never_the_header():
    data = b'\xef\xbb\xbfid,note\n1,"two\nlines"\n2,plain\n'
    rewrite = drop_records("f.csv", data, "csv", _drop_lines({1, 2}))
    assert rewrite.data == b"\xef\xbb\xbfid,note\n2,plain\n"
    assert rewrite.removed == [Span(2, 2)]


def test_gzip_files_are_rewritten_compressed():
    data = gzip.compress(b"".join(json.dumps({"n": n}).encode() + b"\n" for n in range(3)))
    rewrite = drop_records("f.jsonl.gz", data, "jsonl", lambda _, text: '"n": 1' in text)
    assert gzip.decompress(rewrite.data) == b'{"n": 0}\n{"n": 2}\n'


def test_a_picked_row_takes_the_rest_of_its_order_along():
    data = b"Name,Email,Lineitem\n#1,aiko@example.jp,coat\n#1,,scarf\n#2,ben@example.jp,hat\n"
    rewrite = drop_records("o.csv", data, "csv", lambda _, text: "aiko" in text, group="Name")
    assert rewrite.data == b"Name,Email,Lineitem\n#2,ben@example.jp,hat\n"
    assert rewrite.removed == [Span(2, 1), Span(3, 1)]


def test_verification_counts_whole_identifiers_only(tmp_path):
    from orchestration.lib.privacy.verify import Verification, verify_files

    (tmp_path / "other.jsonl").write_text('{"email": "mai.matsumoto@yahoo.co.jp"}\n')
    (tmp_path / "left.jsonl").write_text('{"note": "write to AI.Matsumoto@yahoo.co.jp"}\n')
    (tmp_path / "phone.csv").write_text("id,phone\n1,090-1234-5678\n2,81901234567899\n")
    verification = Verification()
    verify_files(tmp_path, search_terms(["ai.matsumoto@yahoo.co.jp", "+819012345678"]), verification)
    assert sorted(verification.hits) == ["left.jsonl", "phone.csv"]
