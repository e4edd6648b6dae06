"""Reading one large JSON object key by key, and a list value element by element.

An itpm portfolio is one object whose values are long lists of small objects (rows). Parsing
it whole holds every row as a dict at once — gigabytes at portfolio scale. This reader keeps
a window of the text and hands out one top-level key at a time; a list value comes as its
`Elements`, read one at a time or a batch at a time (`take`), parsed by the standard
library's C scanner a window's whole elements at once, so what is held is a window of rows,
whatever the size of the file. Errors keep the line and column the whole-file parser would
give. The decoder's hooks may be called twice for an element (they should have no effect
but their value): a window that is not valid JSON is read again element by element.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from json.scanner import make_scanner
from typing import IO, Any, cast

#: Bytes read at a time.
CHUNK = 1 << 20
_SPACE = " \t\n\r"
#: What separates two elements of a list.
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
#: What may follow a whole value: a value the window's edge comes before is read on.
_ENDS = re.compile(r"[ \t\n\r,\]}:]")
_END = frozenset(" \t\n\r,]}:")


class JSONStreamError(ValueError):
    """Not valid JSON: `msg` at `lineno`/`colno`, as `json.JSONDecodeError` says it;
    `offset` is set (and lineno is 0) for a byte that is not UTF-8."""

    def __init__(self, msg: str, lineno: int, colno: int, offset: int = -1) -> None:
        super().__init__(msg)
        self.msg, self.lineno, self.colno, self.offset = msg, lineno, colno, offset


class ObjectReader:
    """The top-level value of a UTF-8 file (a BOM is skipped) read piece by piece.

    `decoder` parses each piece (its hooks apply); `on_read(n)` is told the bytes read.
    """

    def __init__(
        self,
        handle: IO[bytes],
        decoder: json.JSONDecoder,
        on_read: Callable[[int], None] | None = None,
    ) -> None:
        self._handle = handle
        self._decode = decoder.raw_decode
        # the C scanner `raw_decode` calls, called directly
        self._scan: Callable[[str, int], tuple[Any, int]] = make_scanner(cast(Any, decoder))
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")()
        self._on_read = on_read
        self._bytes = 0
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # the line of _buf[0] in the file
        self._col = 1  # and its column
        self._started = False  # a character other than white space was seen
        self._ahead: list[Any] = []  # elements read by `_window`, not handed out yet
        self._whole_window = -1  # the window (by bytes read) `_window` could not read
        self._ended = False  # the "]" of the list was read with `_ahead`
        self._open = False  # at the start of a list: a "]" may come next

    # --- the window ------------------------------------------------------------------------

    def _more(self) -> bool:
        """Read another chunk into the window (dropping what was parsed); False at the end."""
        if self._eof:
            return False
        data = self._handle.read(max(CHUNK, len(self._buf) - self._pos))
        try:
            text = self._utf8.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise JSONStreamError("not UTF-8", 0, 0, self._bytes + exc.start) from None
        self._bytes += len(data)
        if self._on_read is not None:
            self._on_read(self._bytes)
        if not data:
            self._eof = True
        dropped = self._buf[: self._pos]
        lines = dropped.count("\n")
        if lines:
            self._line += lines
            self._col = len(dropped) - dropped.rfind("\n")
        else:
            self._col += len(dropped)
        self._buf = self._buf[self._pos :] + text
        self._pos = 0
        return bool(data) or bool(text)

    def _skip_space(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in _SPACE:
                pos += 1
            self._pos = pos
            if pos < len(buf):
                self._started = True
                return buf[pos]
            if not self._more():
                return ""

    def _error(self, msg: str, pos: int | None = None) -> JSONStreamError:
        pos = self._pos if pos is None else pos
        before = self._buf[:pos]
        lines = before.count("\n")
        col = pos - before.rfind("\n") if lines else self._col + pos
        return JSONStreamError(msg, self._line + lines, col)

    def _value(self) -> Any:
        """One whole JSON value at the current position."""
        self._skip_space()
        while True:
            try:
                value, end = self._decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                offset = exc.pos - self._pos  # the window moves as it is read on
                if self._more():
                    continue  # the value may run past the window: read on, then try again
                raise self._error(exc.msg, self._pos + offset) from None
            if _ENDS.search(self._buf, end) is None and self._more():
                continue  # a number cut by the window's edge ("1.5" read as "1"): read on
            self._pos = end
            return value

    def _expect(self, options: str, what: str) -> str:
        found = self._skip_space()
        if found and found in options:
            self._pos += 1
            return found
        raise self._error(f"Expecting {what}")

    # --- what callers use ----------------------------------------------------------------------

    @property
    def empty(self) -> bool:
        """Nothing but white space was found (read it first)."""
        return not self._started

    def is_object(self) -> bool:
        """Whether the file holds an object ("{" first); False: call `whole()`."""
        return self._skip_space() == "{"

    def whole(self) -> Any:
        """The whole value (the file does not hold an object)."""
        if not self._skip_space():
            raise self._error("Expecting value")
        value = self._value()
        self._end()
        return value

    def items(self) -> Iterator[tuple[str, Any]]:
        """Each key of the object with its value; a list value is given as an iterator of its
        elements, which must be used up before the next key is asked for."""
        self._expect("{", "'{'")
        if self._skip_space() == "}":
            self._pos += 1
            self._end()
            return
        while True:
            if self._skip_space() != '"':
                raise self._error("Expecting property name enclosed in double quotes")
            key = self._value()
            self._expect(":", "':' delimiter")
            if self._skip_space() == "[":
                self._pos += 1
                elements = Elements(self)
                self._open = True
                yield key, elements
                while elements.take(CHUNK):  # what the caller left unread
                    pass
            else:
                yield key, self._value()
            if self._expect(",}", "',' delimiter") == "}":
                break
        self._end()

    def _take(self, most: int) -> tuple[list[Any], bool]:
        """Up to `most` elements of the list being read, and whether its "]" was reached.

        The elements whole in the window are parsed by one call of the C scanner
        (`_window`); an element the window's edge cuts, or a window that cannot be read so,
        goes element by element (`_elements`)."""
        out: list[Any] = []
        while True:
            if self._ahead:
                wanted = most - len(out)
                out += self._ahead[:wanted]
                del self._ahead[:wanted]
            if self._ended:  # the "]" was read with the window
                if self._ahead:
                    return out, False
                self._ended = False
                return out, True
            if len(out) >= most:
                return out, False
            if self._skip_space() == "]" and self._open:
                self._pos += 1
                return out, True
            self._open = False  # after a comma, a "]" is an error (said below)
            if self._whole_window != self._bytes:
                if self._window():
                    continue
                if len(self._buf) - self._pos < CHUNK // 2 and self._more():
                    continue  # the rest is likely an element the edge cuts: read on first
            if self._elements(out, most):
                return out, True

    def _window(self) -> bool:
        """Parse the elements from here to the last `},` of the window — or to the list's
        "]" before it — in one call of the C scanner (as the list `[…]` they make), keep them
        in `_ahead` and stand after the comma (or the "]", `_ended`); False (nothing read)
        when the window has no such run or is not valid JSON there: then it is read element
        by element, which says where it is wrong. Tried once a window.

        What the scanner reads is a list exactly when it is whole elements separated by
        commas (a `},` inside a string or a nested value leaves it unbalanced, so not read),
        the list's own "]" ending it early; those are the elements read one by one gives."""
        buf, pos = self._buf, self._pos
        cut = buf.rfind("},", pos)
        if cut >= pos:
            text = "[" + buf[pos : cut + 1] + "]"
            try:
                found, end = self._scan(text, 0)
            except (StopIteration, json.JSONDecodeError, RecursionError):
                found = None
            if found:  # (none: "]" where an element must be, said by `_elements`)
                self._ahead += found
                if end == len(text):
                    self._pos = cut + 2  # past the comma
                else:  # the list's "]", at text[end - 1]
                    self._pos = pos + end - 1
                    self._ended = True
                return True
        self._whole_window = self._bytes
        return False

    def _elements(self, out: list[Any], most: int) -> bool:
        """Elements one by one into `out` (up to `most`, or the window's edge), then the
        separator after the last: whether it was the list's "]".

        Each element is parsed by the C scanner called directly and the comma after it found
        by one pattern. Anything unusual (an element that may run past the window, a
        separator missing) is left to `_value` and `_expect`, which read on or say what is
        wrong exactly as they would for one element."""
        scan, comma, add = self._scan, _COMMA.match, out.append
        buf, pos = self._buf, self._pos
        size = len(buf)
        whole = False  # the last element read was whole in the window
        while True:  # the elements whole in the window, each followed by a comma
            try:
                value, end = scan(buf, pos)
            except (StopIteration, json.JSONDecodeError):
                break  # said (or read on) by `_value` below
            if end >= size or buf[end] not in _END:
                break  # may run on past the window ("1." at its edge may be "1.5")
            add(value)
            found = comma(buf, end)
            if found is None or found.end() >= size or len(out) >= most:
                whole = True  # then the "]", the window's edge, or a missing comma
                break
            pos = found.end()
        if whole:
            self._pos = end
        else:
            self._pos = pos
            add(self._value())
        return self._expect(",]", "',' delimiter") == "]"

    def _end(self) -> None:
        if self._skip_space():
            raise self._error("Extra data")


class Elements:
    """The elements of a list value, read as they are asked for: one at a time (iterating)
    or a batch at a time (`take`, much cheaper per element)."""

    def __init__(self, reader: ObjectReader) -> None:
        self._reader = reader
        self._done = False
        self._ahead: list[Any] = []  # read by `take` for `__next__`

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        if not self._ahead:
            self._ahead = self.take(64)
            self._ahead.reverse()
            if not self._ahead:
                raise StopIteration
        return self._ahead.pop()

    def take(self, most: int) -> list[Any]:
        """The next `most` elements (fewer at the end of the list, none after it)."""
        if self._ahead:
            first, self._ahead = self._ahead[::-1][:most], self._ahead[: -most or None]
            return first + self.take(most - len(first)) if len(first) < most else first
        if self._done or most <= 0:
            return []
        found, self._done = self._reader._take(most)
        return found
