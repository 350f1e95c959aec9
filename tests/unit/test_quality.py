"""Great Expectations suites from quality/, run for real on small frames."""

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd

from quality.runner import measure, passed_through, validate, validate_all
from quality.suites import CUSTOMER_PROFILES, SUITES, identifier_formats

SPEC = identifier_formats("stg_example", "email", "phone", new_rows="staged_at")


def test_well_formed_identifiers_pass_and_data_docs_are_written(tmp_path):
    frame = pd.DataFrame({"kind": ["email", "phone"], "value": ["taro@example.jp", "+819012345678"]})
    outcome = validate(frame, SPEC, tmp_path / "quality")
    assert outcome.success and outcome.evaluated == 4 and outcome.failed == []
    assert outcome.docs_index is not None and outcome.docs_index.is_relative_to(tmp_path)
    assert outcome.docs_page.is_file() and SPEC.name in outcome.docs_page.parts  # the check links to its result
    assert outcome.docs_page.relative_to(outcome.docs_index.parent).as_posix() in outcome.docs_index.read_text()


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
    for spec in (SPEC, identifier_formats("stg_other", "email", None, new_rows="staged_at"), SPEC):
        assert validate(frame, spec, tmp_path / "quality").success


def test_a_batch_is_validated_together_and_renders_only_what_changed(tmp_path):
    home = tmp_path / "quality"
    other = identifier_formats("stg_other", "email", None, new_rows="staged_at")
    good = pd.DataFrame({"kind": ["email"], "value": ["taro@example.jp"]})
    junk = pd.DataFrame({"kind": ["email"], "value": ["n/a"]})
    first = validate_all([(good, SPEC), (junk, other)], home)
    assert [o.success for o in first] == [True, False]  # each frame against its own suite
    assert first[0].docs_page != first[1].docs_page and all(o.docs_page.is_file() for o in first)
    index = first[0].docs_index.read_text()
    assert all(o.docs_page.relative_to(o.docs_index.parent).as_posix() in index for o in first)
    suite_page = home / "gx" / "uncommitted" / "data_docs" / "local_site" / "expectations" / f"{SPEC.name}.html"
    rendered_at = suite_page.stat().st_mtime_ns
    (second,) = validate_all([(good, SPEC)], home)
    assert second.success and second.docs_page not in (first[0].docs_page, first[1].docs_page)
    assert suite_page.stat().st_mtime_ns == rendered_at  # the suite did not change: its page is not rendered again
    changed = replace(SPEC, expectations=SPEC.expectations[:1])
    validate_all([(good, changed)], home)
    assert suite_page.stat().st_mtime_ns != rendered_at


def test_a_guarded_share_may_not_collapse_between_runs(tmp_path):
    home = tmp_path / "quality"
    healthy = pd.DataFrame({"has_email": [1] * 8 + [0] * 2, "is_reachable": [1] * 10})
    frame = lambda **columns: healthy.assign(**columns)  # noqa: E731
    spec = replace(CUSTOMER_PROFILES, expectations=(), name="profiles_guard_only")
    assert validate(healthy, spec, home).success  # first run: nothing to compare with, and 0.8 is remembered
    assert validate(frame(has_email=[1] * 5 + [0] * 5), spec, home).success  # 0.5 >= 0.8 * (1 - 0.5)
    collapsed = validate(frame(has_email=[1] * 2 + [0] * 8), spec, home)  # 0.2 < 0.25
    assert not collapsed.success
    assert collapsed.failed == [
        {"expectation": "expect_column_mean_to_be_between", "column": "has_email", "unexpected": None}
    ]


def test_blocking_suites_protect_what_exports_read():
    blocking = {spec.asset for spec in SUITES if spec.blocking}
    assert {
        ("marts", "customer_profiles"),
        ("marts", "customer_consents"),
        ("marts", "segment_memberships"),
    } <= blocking
    assert len({(spec.asset, spec.check) for spec in SUITES}) == len(SUITES)  # one check name per asset


def test_a_column_of_junk_emails_fails_the_raw_check(tmp_path):
    spec = next(s for s in SUITES if s.asset == ("raw", "shopify_customers"))
    import duckdb

    home = tmp_path / "quality"
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.shopify_customers (email VARCHAR, _file VARCHAR, _loaded_at TIMESTAMPTZ)")
    con.execute("INSERT INTO raw.shopify_customers VALUES (' Taro@Example.JP ', 'c.csv', '2026-10-01')")
    con.execute("INSERT INTO raw.shopify_customers VALUES ('', 'c.csv', '2026-10-01')")
    con.execute(
        "INSERT INTO raw.shopify_customers SELECT 'a' || i || '@example.jp', 'c.csv', '2026-10-01' FROM range(98) t(i)"
    )
    con.execute("INSERT INTO raw.shopify_customers VALUES ('n/a', 'c.csv', '2026-10-01')")
    good, _, _ = measure(con, spec, home)  # 99 of the 100 non-empty values look like e-mails
    assert good["share_like_email"].tolist() == [0.99] and validate(good, spec, tmp_path / "junk").success
    con.execute("UPDATE raw.shopify_customers SET email = 'junk ' || email WHERE email LIKE 'a1%'")
    junk = measure(con, spec, home)[0]
    assert not validate(junk, spec, home).success and spec.rows_out_of_bounds(junk) == ["c.csv"]


def raw_orders():
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.shopify_orders (email VARCHAR, _file VARCHAR, _loaded_at TIMESTAMPTZ)")
    load(con, "orders-1.csv", "'buyer' || i || '@example.jp'", 1000, "2026-10-01")
    return con


def load(con, file: str, email_sql: str, rows: int, at: str) -> None:
    con.execute(f"INSERT INTO raw.shopify_orders SELECT {email_sql}, '{file}', '{at}' FROM range({rows}) t(i)")


def test_the_email_gate_judges_what_arrived_since_it_last_passed(tmp_path):
    """40 junk addresses in today's file are 4 % of the history but all of today's load: the gate stops them,
    and a good file tomorrow does not reopen it while the junk is still there to be staged."""
    from quality.suites import raw_emails

    spec, home = raw_emails("shopify_orders"), tmp_path / "quality"
    con = raw_orders()
    frame, trend, mark = measure(con, spec, home)
    assert mark is None and trend == {"rows_judged": 1000, "emails_judged": 1000, "files_judged": 1}
    assert validate(frame, spec, home).success
    assert passed_through(home)[spec.name].startswith("2026-10-01")
    load(con, "junk.csv", "'n/a ' || i", 40, "2026-10-02")
    frame, trend, mark = measure(con, spec, home)
    assert mark.startswith("2026-10-01") and trend == {"rows_judged": 40, "emails_judged": 40, "files_judged": 1}
    assert not validate(frame, spec, home).success
    load(con, "later.csv", "'later' || i || '@example.jp'", 60, "2026-10-03")
    frame, trend, _ = measure(con, spec, home)
    assert trend["rows_judged"] == 100  # the junk is judged again, beside the good file
    assert not validate(frame, spec, home).success
    assert spec.rows_out_of_bounds(frame) == ["files under 50 rows, together"]
    assert passed_through(home)[spec.name].startswith("2026-10-01")
    con.execute("DELETE FROM raw.shopify_orders WHERE _file = 'junk.csv'")  # what `kizuna reject` does to raw
    assert validate(measure(con, spec, home)[0], spec, home).success
    assert passed_through(home)[spec.name].startswith("2026-10-03")
    frame, trend, _ = measure(con, spec, home)  # nothing new: nothing to judge, and nothing fails
    assert trend == {"rows_judged": 0, "emails_judged": 0, "files_judged": 0} and validate(frame, spec, home).success


def test_good_files_do_not_dilute_a_junk_one(tmp_path):
    from quality.suites import raw_emails

    spec, home = raw_emails("shopify_orders"), tmp_path / "quality"
    con = raw_orders()
    load(con, "junk.csv", "'n/a ' || i", 100, "2026-10-02")
    for day in range(3, 22):  # 1,900 good rows after it: 95 % of everything judged looks fine
        load(con, f"day-{day}.csv", f"'d{day}-' || i || '@example.jp'", 100, f"2026-10-{day:02d}")
    frame = measure(con, spec, home)[0]
    assert not validate(frame, spec, home).success and spec.rows_out_of_bounds(frame) == ["junk.csv"]


def test_a_file_with_its_emails_blanked_fails_once_it_says_something(tmp_path):
    from quality.suites import FILE_MIN_ROWS, raw_emails

    spec, home = raw_emails("shopify_orders"), tmp_path / "quality"
    con = raw_orders()
    assert validate(measure(con, spec, home)[0], spec, home).success
    load(con, "guests.csv", "''", 3, "2026-10-02")  # three guest orders
    assert validate(measure(con, spec, home)[0], spec, home).success
    load(con, "blank.csv", "NULL", FILE_MIN_ROWS, "2026-10-03")
    frame = measure(con, spec, home)[0]
    assert frame["share_with_email"].tolist() == [0.0]
    assert not validate(frame, spec, home).success


def test_results_and_pages_are_kept_for_the_latest_validations_only(tmp_path, monkeypatch):
    import quality.runner

    monkeypatch.setattr(quality.runner, "KEEP_RESULTS", 2)
    home = tmp_path / "quality"
    frame = pd.DataFrame({"kind": ["email"], "value": ["taro@example.jp"]})
    for _ in range(4):
        assert validate(frame, SPEC, home).success
    assert validate(frame, identifier_formats("stg_other", "email", None, new_rows="staged_at"), home).success
    stored = home / "gx" / "uncommitted" / "validations"
    pages = home / "gx" / "uncommitted" / "data_docs" / "local_site" / "validations"
    for folder in (stored, pages):
        assert len(list((folder / SPEC.name).glob("*/*"))) == 2, folder
        assert len(list((folder / "stg_other__identifier_formats").glob("*/*"))) == 1, folder
    index = (pages.parent / "index.html").read_text()
    assert index.count(f"validations/{SPEC.name}/") == 2 and "stg_other__identifier_formats" in index
    suites = pages.parent / "expectations"
    assert {p.stem for p in suites.glob("*.html")} == {SPEC.name, "stg_other__identifier_formats"}


def test_identifier_checks_judge_what_was_staged_since_they_last_passed(tmp_path):
    """A build whose identifiers failed is judged again with the next one, until it passes."""
    import duckdb

    spec, home = identifier_formats("stg_example", "email", "phone", new_rows="staged_at"), tmp_path / "quality"
    con = duckdb.connect()
    con.execute("CREATE SCHEMA staging")
    con.execute("CREATE TABLE staging.stg_example (email VARCHAR, phone VARCHAR, staged_at TIMESTAMPTZ)")
    con.execute("INSERT INTO staging.stg_example VALUES ('taro@example.jp', '+819012345678', '2026-10-01')")
    assert validate(measure(con, spec, home)[0], spec, home).success
    con.execute("INSERT INTO staging.stg_example VALUES ('Hanako@Example.jp', NULL, '2026-10-02')")
    frame = measure(con, spec, home)[0]
    assert frame["value"].tolist() == ["Hanako@Example.jp"] and not validate(frame, spec, home).success
    con.execute("INSERT INTO staging.stg_example VALUES ('jiro@example.jp', NULL, '2026-10-03')")
    frame = measure(con, spec, home)[0]
    assert len(frame) == 2 and not validate(frame, spec, home).success  # the failed build is judged again
    con.execute("UPDATE staging.stg_example SET email = lower(email), staged_at = '2026-10-04'")  # a rebuild
    frame = measure(con, spec, home)[0]
    assert len(frame) == 4 and validate(frame, spec, home).success
    nothing_new = measure(con, spec, home)[0]  # nothing staged since: nothing to judge, and nothing fails
    stored = home / "gx" / "uncommitted" / "validations" / spec.name
    results = sorted(stored.rglob("*.json"))
    outcome = validate(nothing_new, spec, home)
    assert nothing_new.empty and outcome.success and outcome.evaluated == 0 and outcome.docs_index.exists()
    assert sorted(stored.rglob("*.json")) == results  # no validation ran: the latest one still stands


def test_a_batch_with_nothing_new_does_not_import_great_expectations(tmp_path):
    """Most sources deliver nothing on most days: their suites pass without Great Expectations being imported.
    In a fresh interpreter: this one has imported it."""
    script = f"""
import sys
import pandas as pd
from quality.runner import validate_all
from quality.suites import identifier_formats
spec = identifier_formats("stg_example", "email", None, new_rows="staged_at")
(outcome,) = validate_all([(pd.DataFrame(columns=["value"]), spec)], __import__("pathlib").Path({str(tmp_path)!r}))
assert outcome.success and outcome.evaluated == 0
assert "great_expectations" not in sys.modules
"""
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parents[2])


def test_scipy_stats_runs_only_when_an_expectation_reads_it():
    """Great Expectations is imported with scipy.stats and Altair deferred (0.65 s of every validating process):
    walking the loaded modules as dbt does for its adapter's behaviour flags leaves them deferred, and a module is
    whole the moment something reads it, in whichever thread. In a fresh interpreter: this one may have imported
    them."""
    script = """
import inspect, sys, threading
from quality.runner import _import_great_expectations
gx = _import_great_expectations()
assert "scipy.stats._stats_py" not in sys.modules, "scipy.stats ran at import"
assert "Chart" not in vars(sys.modules["altair"]), "altair ran at import"
assert inspect.getmodule(inspect.currentframe()) is None  # a frame of no file: every module was looked at
assert "scipy.stats._stats_py" not in sys.modules, "reading scipy.stats' __file__ ran it"
import scipy.stats
read = []
threads = [threading.Thread(target=lambda: read.append(scipy.stats.norm.cdf(0))) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert read == [0.5] * 4, read
from scipy.stats import entropy
assert round(float(entropy([0.5, 0.5])), 4) == 0.6931
assert sys.modules["scipy.stats"] is scipy.stats and "__getattr__" not in vars(scipy.stats)
import altair
assert altair.Chart is vars(altair)["Chart"] and altair.__version__  # a top-level package, whole once read
try:
    scipy.stats.no_such_name
except AttributeError:
    pass
else:
    raise AssertionError("a missing name was found")
"""
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parents[2])
