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


def test_discover_orders_folder_by_folder_and_lists_sizes(tmp_path):
    # "a/..." before "a-b/...", as paths compare part by part (a plain string sort puts "-" before "/")
    for rel in ["events/a-b/z.jsonl", "events/a/z.jsonl", "events/_tmp/y.jsonl", "events/a.jsonl"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}\n")
    found = discover(tmp_path, "events", "jsonl")
    assert [f.relpath for f in found] == ["events/a/z.jsonl", "events/a-b/z.jsonl", "events/a.jsonl"]
    stat = (tmp_path / "events/a.jsonl").stat()
    assert (found[-1].path, found[-1].size_bytes, found[-1].modified_ns) == (
        tmp_path / "events/a.jsonl",
        stat.st_size,
        stat.st_mtime_ns,
    )
