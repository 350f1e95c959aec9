"""The identifier macros (dbt_project/macros/identifiers), run by dbt itself on DuckDB, table-driven."""

import pytest
from dbt.cli.main import dbtRunner

from orchestration.lib.settings import DBT_PROJECT_DIR

EMAILS = [
    ("Taro.Yamada@Example.JP", "taro.yamada@example.jp"),
    ("  hanako@example.jp \t", "hanako@example.jp"),
    ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),  # typed in full-width mode
    ("\u3000yumi@example.jp\u3000", "yumi@example.jp"),  # ideographic spaces
    ("MIXED.Case+tag@Gmail.COM", "mixed.case+tag@gmail.com"),
    ("not-an-email", None),
    ("@example.jp", None),
    ("two@@example.jp", None),
    ("", None),
]
PHONES = [
    ("090-1234-5678", "+819012345678"),
    ("09012345678", "+819012345678"),
    ("０９０−１２３４−５６７８", "+819012345678"),  # full-width digits, minus sign
    ("０９０ー１２３４ー５６７８", "+819012345678"),  # katakana prolonged-sound mark as a hyphen
    ("+81 90-1234-5678", "+819012345678"),
    ("(090) 1234 5678", "+819012345678"),
    ("'+819012345678", "+819012345678"),  # Shopify's spreadsheet apostrophe
    ("819012345678", "+819012345678"),
    ("9012345678", "+819012345678"),  # a spreadsheet dropped the leading zero
    ("03-1234-5678", "+81312345678"),
    ("0081 90 1234 5678", "+819012345678"),
    ("+1 (650) 555-1212", "+16505551212"),
    ("000-0000-0000", None),
    ("1234", None),
    ("n/a", None),
]
DIGITS = [("1234 5678 9012 3456", "1234567890123456"), ("１２３４－５６７８", "12345678"), ("--", None)]


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@pytest.fixture(scope="module")
def normalised() -> dict:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KIZUNA_WAREHOUSE", ":memory:")  # no warehouse needed
        return _run_cases()


def _run_cases() -> dict:
    cases = (
        [("email", raw) for raw, _ in EMAILS]
        + [("phone", raw) for raw, _ in PHONES]
        + [("digits", raw) for raw, _ in DIGITS]
    )
    values = ", ".join(f"({i}, {_literal(kind)}, {_literal(raw)})" for i, (kind, raw) in enumerate(cases))
    sql = (
        f"select id, kind, raw, case kind "
        f"when 'email' then {{{{ kizuna.normalize_email('raw') }}}} "
        f"when 'phone' then {{{{ kizuna.normalize_phone('raw') }}}} "
        f"else {{{{ kizuna.normalize_digits('raw') }}}} end as normalised "
        f"from (values {values}) as cases(id, kind, raw)"
    )
    result = dbtRunner().invoke(
        [
            "show",
            "--inline",
            sql,
            "--limit",
            "-1",
            "--output",
            "json",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ]
    )
    assert result.success, result.exception
    rows = result.result.results[0].agate_table
    return {(row["kind"], row["raw"]): row["normalised"] for row in rows}


@pytest.mark.parametrize(("raw", "expected"), EMAILS)
def test_normalize_email(normalised, raw, expected):
    assert normalised[("email", raw)] == expected


@pytest.mark.parametrize(("raw", "expected"), PHONES)
def test_normalize_phone(normalised, raw, expected):
    assert normalised[("phone", raw)] == expected


@pytest.mark.parametrize(("raw", "expected"), DIGITS)
def test_normalize_digits(normalised, raw, expected):
    assert normalised[("digits", raw)] == expected


def test_cases_are_distinct():
    assert len({raw for raw, _ in EMAILS}) == len(EMAILS) and len({raw for raw, _ in PHONES}) == len(PHONES)
