"""The reader's lists read a batch at a time (`Elements.take`) give what the whole-file parser
gives, for every size of window — a number cut by the window's edge ("1.5" seen as "1.")
included — and an error at the same line and column."""

from __future__ import annotations

import io
import itertools
import json
from typing import Any

import pytest

from itpm_tui.formats import json_stream
from itpm_tui.formats.json_stream import Elements, JSONStreamError, ObjectReader

DOCUMENT = {
    "a": list(range(40)),
    "b": [{"x": i, "y": "z" * i, "f": 1.25e-7 * i} for i in range(25)],
    "c": 12345,
    "d": [],
    "e": [1.5, "x", None, True, [1, [2]], -0.5e10, {}, 10],
}


def batched(text: str, sizes: list[int]) -> Any:
    """What the reader gives for `text`, each list read by `take` in batches of `sizes` in
    turn and one element at a time between them; or ("error", msg, line, col)."""
    reader = ObjectReader(io.BytesIO(text.encode("utf-8")), json.JSONDecoder())
    out: dict[str, Any] = {}
    try:
        for key, value in reader.items():
            if not isinstance(value, Elements):
                out[key] = value
                continue
            got: list[Any] = []
            for size in itertools.cycle(sizes):
                got += value.take(size)
                try:
                    got.append(next(value))
                except StopIteration:
                    break
            out[key] = got
    except JSONStreamError as exc:
        return ("error", exc.msg, exc.lineno, exc.colno)
    return out


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 13, 1 << 20])
@pytest.mark.parametrize("indent", [None, 1])
def test_every_window_reads_the_lists_as_json_loads(
    chunk: int, indent: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    text = json.dumps(DOCUMENT, indent=indent)
    assert batched(text, [3, 1, 64]) == json.loads(text)


@pytest.mark.parametrize("chunk", [1, 4, 1 << 20])
@pytest.mark.parametrize(
    "text",
    ['{"a": [1.x, 2]}', '{"a": [1 2]}', '{"a": [{"x": 1} {"x": 2}]}', '{"a": [1,, 2]}'],
)
def test_an_error_in_a_list_is_placed_as_the_whole_file_parser_places_it(
    chunk: int, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(text)
    found = batched(text, [2])
    assert found[:1] == ("error",)
    assert found[2:] == (whole.value.lineno, whole.value.colno)


def test_a_row_cut_by_the_window_edge_leaves_the_rest_of_the_batch_on_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only an element the window's edge cuts is read by `_value` (one call per edge), not
    every element after it in the batch."""
    monkeypatch.setattr(json_stream, "CHUNK", 4096)
    rows = [{"id": i, "name": f"row {i}", "amount": "12.50"} for i in range(3000)]
    text = json.dumps({"rows": rows}, indent=2)
    slow = 0
    read_one = ObjectReader._value

    def counted(reader: ObjectReader) -> Any:
        nonlocal slow
        slow += 1
        return read_one(reader)

    monkeypatch.setattr(ObjectReader, "_value", counted)
    reader = ObjectReader(io.BytesIO(text.encode("utf-8")), json.JSONDecoder())
    got: list[Any] = []
    for _, value in reader.items():
        assert isinstance(value, Elements)
        while batch := value.take(1000):
            got += batch
    assert got == rows
    assert slow <= len(text) // 4096 + 2


TRICKY = {
    "rows": [
        {"text": 'a "}," b', "nested": [{"x": i}, {"y": "},"}], "n": i, "f": 1.5} for i in range(60)
    ],
    "tail": [{"a": 1}, [{"b": "},"}], "}, {", 2.5, {}],
}


@pytest.mark.parametrize("chunk", [1, 7, 64, 500, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_a_window_cut_inside_a_string_or_a_nested_value_reads_as_json_loads(
    chunk: int, indent: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`},` inside a text or a nested object is not taken for the end of an element."""
    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    text = json.dumps(TRICKY, indent=indent)
    assert batched(text, [5, 1, 2000]) == json.loads(text)


@pytest.mark.parametrize("chunk", [4096, 1 << 20])
@pytest.mark.parametrize("bad", ['{"x": 1,}', '{"x": 1} {"x": 2}', '{"x": 01}', '{"x": "\x01"}'])
def test_an_error_after_many_whole_rows_is_placed_as_the_whole_file_parser_places_it(
    chunk: int, bad: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    rows = [json.dumps({"x": i, "name": f"row {i}"}) for i in range(2000)]
    rows[1500] = bad
    text = '{"rows": [\n    ' + ",\n    ".join(rows) + "\n  ]\n}"
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(text)
    found = batched(text, [700])
    assert found == ("error", whole.value.msg, whole.value.lineno, whole.value.colno)


def test_the_rows_whole_in_a_window_are_parsed_by_one_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A window of rows costs one call of the C scanner, not one a row; what is read ahead
    of a batch is handed out by the next."""
    rows = [{"id": i, "name": f"row {i}"} for i in range(3000)]
    text = json.dumps({"rows": rows}, indent=2)
    calls = 0
    reader = ObjectReader(io.BytesIO(text.encode("utf-8")), json.JSONDecoder())
    scan = reader._scan

    def counted(text: str, at: int) -> Any:
        nonlocal calls
        calls += 1
        return scan(text, at)

    reader._scan = counted
    got: list[Any] = []
    for _, value in reader.items():
        assert isinstance(value, Elements)
        while batch := value.take(1000):
            assert len(batch) == 1000 or len(got) + len(batch) == len(rows)
            got += batch
    assert got == rows
    assert calls <= 3


@pytest.mark.parametrize("chunk", [1, 4, 1 << 20])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_a_comma_before_the_end_of_a_list_is_an_error_whatever_the_batch_ends_on(
    chunk: int, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch that ends just after a comma leaves the next to find an element there."""
    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    for text in ('{"a": [1, 2, 3,]}', '{"a": [{"x": 1}, {"x": 2}, {"x": 3},\n ]}'):
        with pytest.raises(json.JSONDecodeError) as whole:
            json.loads(text)
        reader = ObjectReader(io.BytesIO(text.encode("utf-8")), json.JSONDecoder())
        with pytest.raises(JSONStreamError) as streamed:
            for _, value in reader.items():
                assert isinstance(value, Elements)
                while value.take(size):
                    pass
        found = (streamed.value.msg, streamed.value.lineno, streamed.value.colno)
        assert found == (whole.value.msg, whole.value.lineno, whole.value.colno)


@pytest.mark.parametrize("most", [1, 7, 5000])
def test_a_list_ending_inside_a_window_hands_out_its_elements_then_the_next_key(
    most: int,
) -> None:
    """The window read past the "]" of a short list stops there: the next key is read as
    it stands."""
    text = json.dumps({"a": [{"x": i} for i in range(20)], "b": [{"y": 1}, {"y": 2}], "c": 3})
    reader = ObjectReader(io.BytesIO(text.encode("utf-8")), json.JSONDecoder())
    got: dict[str, Any] = {}
    for key, value in reader.items():
        if isinstance(value, Elements):
            got[key] = []
            while batch := value.take(most):
                got[key] += batch
        else:
            got[key] = value
    assert got == json.loads(text)
