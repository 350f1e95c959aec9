"""Framing keeps exact line numbers and original text, and spots files that cannot be read."""

import gzip

import pytest

from orchestration.lib.ingest.framing import FramingError, decompress, frame_csv, frame_jsonl

COLUMNS = {"id": "id", "name": "name", "price": "price"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a":1}\n{"a":2}\n', [(1, '{"a":1}', None), (2, '{"a":2}', None)]),
        (
            b'{"a":1}\r\n\r\n   \n{"a":2}',
            [(1, '{"a":1}', None), (4, '{"a":2}', None)],
        ),  # CRLF, blank lines, no final newline
        (b'\xef\xbb\xbf{"a":1}\n', [(1, '{"a":1}', None)]),  # BOM dropped
        ('{"name":"山田"}\n'.encode(), [(1, '{"name":"山田"}', None)]),
        (
            b'{"a":1}\n{"a":',
            [(1, '{"a":1}', None), (2, '{"a":', "truncated last line (no newline at end of file and not valid JSON)")],
        ),
        (b'{"a":1}\n{"a":"\xff"}\n', [(1, '{"a":1}', None), (2, '{"a":"\\xff"}', "line is not valid UTF-8")]),
    ],
)
def test_jsonl_lines(data, expected):
    framed = frame_jsonl(data)
    assert framed.file_error is None
    assert list(zip(framed.lines, framed.texts, framed.pre_rejects, strict=True)) == expected


def test_jsonl_in_shift_jis_is_rejected_as_a_file():
    framed = frame_jsonl('{"name":"山田太郎","city":"東京"}\n'.encode("cp932"))
    assert framed.file_error == "file is not UTF-8 (it decodes as Shift_JIS/CP932); re-export it as UTF-8"
    assert len(framed) == 0


def test_csv_keeps_physical_line_numbers_across_quoted_newlines():
    data = b'id,name,price\n1,"Gift\nwrap",10\n2,plain,20\n3,short\n'
    framed = frame_csv(data, COLUMNS, ["id"])
    assert framed.lines == [2, 4, 5]
    assert framed.texts == ['1,"Gift\nwrap",10', "2,plain,20", "3,short"]
    assert framed.pre_rejects == [None, None, "expected 3 fields, found 2"]
    assert framed.cells["name"] == ["Gift\nwrap", "plain", None]


def test_csv_columns_matched_by_name_extra_ignored_missing_optional_null():
    data = b"price,extra,id\n10,x,1\n"
    framed = frame_csv(data, COLUMNS, ["id"])
    assert framed.cells == {"id": ["1"], "price": ["10"], "name": [None]}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "file is empty (no header row)"),
        (b"name,price\nx,1\n", "header lacks required columns: id"),
        (
            "id,name,price\n1,山田,10\n".encode("cp932"),
            "file is not UTF-8 (it decodes as Shift_JIS/CP932); re-export it as UTF-8",
        ),
    ],
)
def test_csv_unreadable_files(data, error):
    assert frame_csv(data, COLUMNS, ["id"]).file_error == error


def test_csv_unterminated_quote_quarantines_the_rest_not_the_file():
    framed = frame_csv(b'id,name,price\n1,ok,1\n2,"never closed,2\n3,x,3\n', COLUMNS, ["id"])
    assert framed.file_error is None
    assert framed.lines[0] == 2 and framed.pre_rejects[0] is None
    assert framed.pre_rejects[-1].startswith("not valid CSV") or framed.pre_rejects[-1].startswith("expected 3 fields")


def test_gzip_is_read_and_a_truncated_stream_is_a_file_error():
    payload = gzip.compress(b'{"a":1}\n')
    assert decompress("x.jsonl.gz", payload) == b'{"a":1}\n'
    with pytest.raises(FramingError, match="truncated"):
        decompress("x.jsonl.gz", payload[:-8])
