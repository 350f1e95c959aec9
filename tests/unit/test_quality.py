"""Great Expectations suites from quality/, run for real on small frames."""

import pandas as pd

from quality.runner import validate
from quality.suites import SUITES, identifier_formats

SPEC = identifier_formats("stg_example", "email", "phone")


def test_well_formed_identifiers_pass_and_data_docs_are_written(tmp_path):
    frame = pd.DataFrame({"kind": ["email", "phone"], "value": ["taro@example.jp", "+819012345678"]})
    outcome = validate(frame, SPEC, tmp_path / "quality")
    assert outcome.success and outcome.evaluated == 4 and outcome.failed == []
    assert outcome.docs_index is not None and outcome.docs_index.is_relative_to(tmp_path)


def test_junk_fails_with_counts_but_never_the_values(tmp_path):
    frame = pd.DataFrame(
        {"kind": ["email", "phone", "phone"], "value": [" Taro@Example.jp", "090-1234-5678", "+819012345678"]}
    )
    outcome = validate(frame, SPEC, tmp_path / "quality")
    assert not outcome.success
    by_type = {f["expectation"]: f["unexpected"] for f in outcome.failed}
    assert by_type == {"expect_column_values_to_match_regex": 2, "expect_column_values_to_not_match_regex": 1}
    assert "Taro" not in repr(outcome.failed) and "090-1234" not in repr(outcome.failed)
    docs = "".join(p.read_text(errors="ignore") for p in (tmp_path / "quality").rglob("*") if p.is_file())
    assert "090-1234-5678" not in docs  # validation results and Data Docs hold no identifiers


def test_a_home_serves_many_validations(tmp_path):
    frame = pd.DataFrame({"kind": ["email"], "value": ["taro@example.jp"]})
    for spec in (SPEC, identifier_formats("stg_other", "email", None), SPEC):
        assert validate(frame, spec, tmp_path / "quality").success


def test_every_suite_guards_a_staging_asset():
    assert all(spec.asset[0] == "staging" and spec.query.startswith("SELECT DISTINCT") for spec in SUITES)
