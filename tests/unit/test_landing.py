import pytest

from orchestration.lib.landing import discover, is_ready_name


@pytest.mark.parametrize(
    ("name", "fmt", "ready"),
    [
        ("segment-2026-01-01.jsonl", "jsonl", True),
        ("segment-2026-01-01.jsonl.gz", "jsonl", True),
        ("export.ndjson", "jsonl", True),
        ("orders_export.csv", "csv", True),
        ("orders_export.csv", "jsonl", False),  # wrong folder format
        (".orders_export.csv.part", "csv", False),  # being written (hidden temporary)
        ("orders_export.csv.part", "csv", False),
        ("orders_export.csv.tmp", "csv", False),
        ("_orders_export.csv", "csv", False),
        ("orders_export.csv.crdownload", "csv", False),  # browser download in progress
        ("README.txt", "csv", False),
    ],
)
def test_ready_names(name, fmt, ready):
    assert is_ready_name(name, fmt) is ready


def test_discover_is_recursive_sorted_and_skips_hidden_folders(tmp_path):
    for rel in ["events/2026/01/b.jsonl", "events/2026/01/a.jsonl", "events/.staging/c.jsonl", "events/d.jsonl.part"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}\n")
    assert [f.relpath for f in discover(tmp_path, "events", "jsonl")] == [
        "events/2026/01/a.jsonl",
        "events/2026/01/b.jsonl",
    ]
    assert discover(tmp_path, "missing", "jsonl") == []
