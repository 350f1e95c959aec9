"""Erasure end to end: a person present in every source is erased, every byte under KIZUNA_HOME is searched,
their original files are delivered again, and the search is repeated.

The search here is independent of the product: it knows the person from the generator's truth (read before
anything is erased) and looks for their identifiers as raw bytes (case-insensitive, also full-width and in
the usual phone forms), inside gzip files, inside Parquet files and in every text column of the warehouse.
"""

import gzip
import json
import re
import shutil
from collections import defaultdict

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs as load_defs
from orchestration.lib.ingest.sources import CONTRACTS
from tests.landing_builders import write

pytestmark = pytest.mark.slow

EVERY_SOURCE = set(CONTRACTS) - {"deletion_requests"}  # every source that holds data about people
FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def run(defs, instance) -> dg.ExecuteInProcessResult:
    return defs.resolve_job_def("materialize_everything").execute_in_process(instance=instance, raise_on_error=False)


def forms(identifier_type: str, value: str) -> set[str]:
    found = {value}
    if identifier_type == "phone":
        digits = re.sub(r"\D", "", value)
        national = digits if digits.startswith("0") else "0" + digits.removeprefix("81")
        found |= {national, "+81" + national[1:], "81" + national[1:]}
    return found | {form.translate(FULL_WIDTH) for form in found}


def knowable_identifiers(home, person: str) -> tuple[dict[str, str], set[str]]:
    """The person's identifiers that landing records tie, directly or through each other, to the e-mail the
    request names. Others (a device never logged in on, a store card only ever shown at the till) are
    unknowable: no record says they are this person's, so no system could find them. Also: the landing
    sources holding records with a knowable identifier."""
    rows = duckdb.sql(
        f"SELECT identifier_type, identifier_value FROM '{home}/truth/identifiers-*.parquet' "
        f"WHERE person_id = '{person}' ORDER BY identifier_type, identifier_value"
    ).fetchall()
    together: dict[str, set[str]] = defaultdict(set)
    sources: dict[str, set[str]] = defaultdict(set)
    for path in (home / "landing").rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", "replace").lower()
        for line in text.splitlines():
            present = {value for _, value in rows if value.lower() in line}
            for value in present:
                together[value] |= present - {value}
                sources[value].add(path.relative_to(home / "landing").parts[0])
    start = next(value for kind, value in rows if kind == "email")
    reached, frontier = {start}, [start]
    while frontier:
        for neighbour in together[frontier.pop()] - reached:
            reached.add(neighbour)
            frontier.append(neighbour)
    return {value: kind for kind, value in rows if value in reached}, set().union(*(sources[v] for v in reached))


def pick_person(home) -> str:
    """Someone with records in every source, in no household (a shared phone is another person's too)."""
    truth = home / "truth"
    return duckdb.sql(f"""
        SELECT person_id FROM '{truth}/records-*.parquet'
        WHERE source IN {tuple(sorted(EVERY_SOURCE))}
          AND person_id IN (SELECT person_id FROM '{truth}/people-*.parquet' WHERE household_of IS NULL)
          AND person_id NOT IN (SELECT household_of FROM '{truth}/people-*.parquet' WHERE household_of IS NOT NULL)
        GROUP BY person_id HAVING count(DISTINCT source) = {len(EVERY_SOURCE)}
        ORDER BY count(*) DESC, person_id LIMIT 1""").fetchall()[0][0]


def leftovers(home, identifiers: dict[str, str]) -> list[str]:
    terms = sorted({form for value, kind in identifiers.items() for form in forms(kind, value)})
    pattern = re.compile(b"|".join(re.escape(term.encode()) for term in terms), re.IGNORECASE)
    hits = []
    for path in sorted(p for p in home.rglob("*") if p.is_file() and "secrets" not in p.parts):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data += gzip.decompress(data)
        if pattern.search(data):
            hits.append(str(path.relative_to(home)))
        elif path.suffix == ".parquet":
            rows = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()
            if any(pattern.search(str(cell).encode()) for row in rows for cell in row):
                hits.append(str(path.relative_to(home)))
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
        for schema, table in tables:
            for row in con.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall():
                if any(pattern.search(str(cell).encode()) for cell in row):
                    hits.append(f"{schema}.{table}")
                    break
    return hits


def erasure_request(identifiers: dict[str, str]) -> str:
    email = min(value for value, kind in identifiers.items() if kind == "email")  # the one the request starts from
    return json.dumps(
        {
            "subject_request_id": "req-erase-everywhere",
            "subject_request_type": "erasure",
            "submitted_time": "2026-10-30T00:00:00Z",
            "subject_identities": [
                {"identity_type": "email", "identity_value": f"  {email.upper()} ", "identity_format": "raw"}
            ],
            "api_version": "1.0",
            "regulation": "appi",
        }
    )


def test_an_erased_person_is_gone_from_every_byte_and_stays_gone(sample_home):
    home = sample_home
    originals = home.parent / "original-landing"
    shutil.copytree(home / "landing", originals)
    person = pick_person(home)
    defs = load_defs()
    # a persistent instance under KIZUNA_HOME: its run and event storage is searched too
    (home / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:
        assert run(defs, instance).success
        # what is knowable once the first run applied retention (old e-mail events are gone by then)
        identifiers, sources = knowable_identifiers(home, person)
        assert len(identifiers) >= 3
        assert leftovers(home, identifiers), "the person must be findable before the request"
        write(home, "deletion_requests/erase-everywhere.jsonl", [erasure_request(identifiers)])
        erased = run(defs, instance)
        assert erased.success
        assert leftovers(home, identifiers) == []

        receipt = json.loads((home / "privacy" / "receipts" / "req-erase-everywhere.json").read_text())
        assert receipt["verification"] == {
            "files_searched": receipt["verification"]["files_searched"],
            "tables_searched": receipt["verification"]["tables_searched"],
            "passed": True,
            "found_in": [],
        }
        assert receipt["people"] == 1 and receipt["subject_hash"]
        assert set(receipt["landing_records_removed"]) >= sources | {"deletion_requests"}
        assert len(sources) >= 5
        assert "@" not in json.dumps(receipt)

        # the original files arrive again: the records about the person are dropped before anything stores them
        shutil.copytree(originals, home / "landing", dirs_exist_ok=True)
        again = run(defs, instance)
        assert again.success
        assert leftovers(home, identifiers) == []
        suppressed = sum(
            instance.get_latest_materialization_event(dg.AssetKey(["raw", source]))
            .asset_materialization.metadata["rows_suppressed"]
            .value
            for source in EVERY_SOURCE | {"deletion_requests"}
        )
        assert suppressed >= sum(receipt["landing_records_removed"].values()) - 1  # the request line is new

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        statuses = dict(con.execute("SELECT request_id, status FROM privacy.erasure_receipts").fetchall())
        assert statuses["req-erase-everywhere"] == "completed"
        mismatched = con.execute("""
            SELECT l.path FROM raw.loaded_files l
            WHERE l.rows_read <> l.rows_loaded + l.rows_quarantined""").fetchall()
        assert mismatched == []
