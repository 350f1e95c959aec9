"""The bench's two sides of the history comparison: a twin of the zone swapped in and out of its place."""

from orchestration.lib.bench import make_twin, merge_landing, retire_twin, swap_sides


def _zone(root, warehouse: bytes):
    (root / "landing" / "events").mkdir(parents=True)
    (root / "landing" / "events" / "day-1.jsonl").write_text("{}\n")
    (root / "dagster").mkdir()
    (root / "dagster" / "runs.db").write_text("records")
    (root / "warehouse.duckdb").write_bytes(warehouse)
    (root / "secrets").mkdir()
    return root


def test_the_twin_swaps_in_and_out_and_gives_its_days_back(tmp_path):
    zone = _zone(tmp_path / "zone", b"as is")
    twin = tmp_path / "zone-history-x2"
    make_twin(zone, twin)
    assert (twin / "landing" / "events" / "day-1.jsonl").stat().st_ino == (
        zone / "landing" / "events" / "day-1.jsonl"
    ).stat().st_ino  # hard-linked, not copied
    assert not (twin / "secrets").exists()  # the runs read the zone's own

    swap_sides(zone, twin)
    (zone / "warehouse.duckdb").write_bytes(b"doubled")
    (zone / "landing" / "events" / "day-2.jsonl").write_text("{}\n")  # a day delivered to the twin's side
    swap_sides(zone, twin)

    assert (zone / "warehouse.duckdb").read_bytes() == b"as is"
    assert (twin / "warehouse.duckdb").read_bytes() == b"doubled"
    assert not (zone / "landing" / "events" / "day-2.jsonl").exists()
    assert sorted(p.name for p in twin.iterdir()) == ["dagster", "landing", "warehouse.duckdb"]

    assert merge_landing(twin / "landing", zone / "landing") == 1
    assert (zone / "landing" / "events" / "day-2.jsonl").exists()
    assert merge_landing(twin / "landing", zone / "landing") == 0
    retire_twin(zone, twin)
    assert not twin.exists() and (zone / "landing" / "events" / "day-2.jsonl").exists()
