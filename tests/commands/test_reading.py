import io
import json

import pytest

from chat.importers import reading
from chat.importers.reading import RawRecord, iter_raw_records

VALUES = [{"a": "ñandú 🙂", "n": 12345}, 67890, "texto", [1, [2, {"b": None}]], {"esc": '\\"\u00e9'}, 1.5e3, True]


def read(data):
    return list(iter_raw_records(io.BytesIO(data)))


@pytest.fixture
def tiny_reads(monkeypatch):
    # Reads of a few bytes put every value, number and multi-byte character
    # across read boundaries.
    monkeypatch.setattr(reading, "READ_SIZE", 3)


@pytest.mark.parametrize("indent", [None, 2])
def test_array_values_across_read_boundaries(tiny_reads, indent):
    data = b"\xef\xbb\xbf" + json.dumps(VALUES, indent=indent, ensure_ascii=False).encode()

    records = read(data)

    assert records == [RawRecord(f"record {n}", value=value) for n, value in enumerate(VALUES, start=1)]


def test_array_text_after_closing_bracket(tiny_reads):
    records = read(b'[{"a": 1}] [{"b": 2}]')

    assert records == [
        RawRecord("record 1", value={"a": 1}),
        RawRecord("record 2", error="text after the closing ].", fatal=True),
    ]


def test_array_trailing_comma(tiny_reads):
    records = read(b'[{"a": 1},]')

    assert records[-1] == RawRecord(
        "record 2",
        error="invalid JSON: Expecting value. Reading stopped: a JSON array cannot be read past a syntax error.",
        fatal=True,
    )


def test_array_invalid_utf8_stops(tiny_reads):
    records = read(b'[{"a": 1}, {"b": "\xff"}]')

    assert records == [
        RawRecord("record 1", value={"a": 1}),
        RawRecord("byte 19", error="the file is not valid UTF-8; reading stopped.", fatal=True),
    ]


def test_json_lines_with_crlf_bom_and_blank_lines():
    data = b'\xef\xbb\xbf{"a": 1}\r\n\r\n  \n{"b": 2}\r\n{"c": '

    records = read(data)

    assert records == [
        RawRecord("line 1", value={"a": 1}),
        RawRecord("line 4", value={"b": 2}),
        RawRecord("line 5", error="invalid JSON: Expecting value: line 1 column 7 (char 6)"),
    ]


def test_deeply_nested_json_is_reported():
    deep = b"[" * 100_000 + b"]" * 100_000

    lines = read(b'{"a": 1}\n' + deep + b'\n{"b": 2}\n')
    array = read(b"[" + deep + b"]")

    assert lines == [
        RawRecord("line 1", value={"a": 1}),
        RawRecord("line 2", error="invalid JSON: nested too deeply."),
        RawRecord("line 3", value={"b": 2}),
    ]
    assert array == [
        RawRecord(
            "record 1",
            error="invalid JSON: nested too deeply. Reading stopped: a JSON array cannot be read past a syntax error.",
            fatal=True,
        )
    ]


def test_empty_input():
    assert read(b"") == []
    assert read(b"\xef\xbb\xbf \n") == []


def test_array_invalid_utf8_offset_counts_bom_and_pending_bytes(tiny_reads):
    # "é" is two bytes; with 3-byte reads its first byte is held back by the
    # decoder when the next read brings the invalid byte.
    data = b'\xef\xbb\xbf["\xc3\xa9", "a\xffb"]'

    records = read(data)

    assert records == [
        RawRecord("record 1", value="é"),
        RawRecord("byte 13", error="the file is not valid UTF-8; reading stopped.", fatal=True),
    ]
