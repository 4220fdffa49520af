"""Streaming JSON readers: JSON Lines, or one JSON array of records.

Both read a binary stream a piece at a time, so memory contains one record
(plus a read buffer), whatever the file size. A UTF-8 byte-order mark is skipped
and CRLF line ends are accepted. The reader picks the layout from the first
non-blank character: `[` starts a JSON array, anything else is JSON Lines.
"""

import codecs
import io
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

BOM = codecs.BOM_UTF8
READ_SIZE = 64 * 1024
WHITESPACE = " \t\r\n"


@dataclass(frozen=True)
class RawRecord:
    """One record as read: its JSON value, or the reason it could not be read."""

    location: str
    value: object = None
    error: str | None = None
    # True when reading cannot continue past this record (a broken JSON array).
    fatal: bool = False


def iter_raw_records(stream):
    """Yield a RawRecord for every line of JSON Lines or element of a JSON array."""
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)
    head = stream.peek(READ_SIZE)
    first = head.removeprefix(BOM).lstrip(WHITESPACE.encode())[:1]
    if first == b"[":
        return _iter_array(stream)
    return _iter_lines(stream)


def _reject_constant(name):
    # json accepts NaN and Infinity by default, but they are not JSON and
    # PostgreSQL's jsonb rejects them.
    raise ValueError(_("%(name)s is not valid JSON.") % {"name": name})


DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _line_location(number):
    return _("line %(number)d") % {"number": number}


def _record_location(number):
    return _("record %(number)d") % {"number": number}


def _iter_lines(stream):
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            raw = raw.removeprefix(BOM)
        if not raw.strip():
            continue

        location = _line_location(number)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield RawRecord(
                location, error=_("not valid UTF-8 at byte %(position)d of the line.") % {"position": error.start + 1}
            )
            continue

        try:
            yield RawRecord(location, value=DECODER.decode(text))
        except ValueError as error:
            yield RawRecord(location, error=_("invalid JSON: %(error)s") % {"error": error})
        except RecursionError:
            yield RawRecord(location, error=_("invalid JSON: nested too deeply."))


class _ArrayReader:
    """Incremental reader of the elements of one top-level JSON array."""

    def __init__(self, stream):
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.buffer = ""
        self.position = 0
        self.eof = False
        self.bytes_read = 0
        # 1-based offset in the file of the first byte that is not UTF-8.
        self.invalid_byte = None

    def read_more(self, at_least=READ_SIZE):
        """Append at least `at_least` bytes of decoded text; return False at end of file.

        Invalid UTF-8 ends the input early: the text before it is kept and
        `invalid_byte` is set.
        """
        if self.eof:
            return False
        chunk = self.stream.read(max(at_least, READ_SIZE))
        if self.bytes_read == 0 and chunk.startswith(BOM):
            chunk = chunk[len(BOM) :]
            self.bytes_read = len(BOM)
        self.eof = not chunk
        pending = self.decoder.getstate()[0]
        try:
            self.buffer += self.decoder.decode(chunk, final=self.eof)
        except UnicodeDecodeError as error:
            # error.start counts from the undecoded bytes of the previous
            # chunk, which the decoder keeps and prepends to this one.
            valid_length = max(error.start - len(pending), 0)
            self.buffer += self.decoder.decode(chunk[:valid_length])
            self.invalid_byte = self.bytes_read - len(pending) + error.start + 1
            self.eof = True
        self.bytes_read += len(chunk)
        return not self.eof or self.position < len(self.buffer)

    def next_char(self):
        """Skip whitespace and return the next character, or "" at end of file."""
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in WHITESPACE:
                self.position += 1
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if not self.read_more():
                return ""

    def decode_value(self):
        """Decode the JSON value at the current position, reading more text as needed."""
        while True:
            try:
                value, end = DECODER.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as error:
                if self.eof or not self._may_be_truncated(error):
                    raise
                self.read_more(len(self.buffer))
                continue
            # A number or literal that ends at the buffer's end may continue in
            # the next chunk, so it is only accepted at end of file.
            if end == len(self.buffer) and not self.eof:
                self.read_more(len(self.buffer))
                continue
            self.position = end
            self.discard_consumed()
            return value

    def _may_be_truncated(self, error):
        # Unterminated strings report where the string starts; other errors
        # caused by the buffer's end are reported within a few characters of it.
        return error.pos >= len(self.buffer) - 6 or error.msg.startswith("Unterminated string")

    def discard_consumed(self):
        if self.position > READ_SIZE:
            self.buffer = self.buffer[self.position :]
            self.position = 0


def _iter_array(stream):
    reader = _ArrayReader(stream)
    for record in _iter_array_elements(reader):
        # A syntax error after invalid UTF-8 only means that the input ended there.
        if record.fatal and reader.invalid_byte is not None:
            break
        yield record
    if reader.invalid_byte is not None:
        yield RawRecord(
            _("byte %(position)d") % {"position": reader.invalid_byte},
            error=_("the file is not valid UTF-8; reading stopped."),
            fatal=True,
        )


def _iter_array_elements(reader):
    reader.next_char()
    reader.position += 1  # the opening "[", checked by iter_raw_records()
    number = 0
    while True:
        char = reader.next_char()
        if char == "]":
            reader.position += 1
            if reader.next_char():
                yield RawRecord(_record_location(number + 1), error=_("text after the closing ]."), fatal=True)
            return
        if number and char != ",":
            yield _array_syntax_error(number + 1, _("expected , or ] after the previous record."))
            return
        if number:
            reader.position += 1
            reader.next_char()

        number += 1
        try:
            value = reader.decode_value()
        except ValueError as error:
            # JSONDecodeError positions count from the read buffer, not the
            # file, so only its message is shown.
            reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
            yield _array_syntax_error(number, _("invalid JSON: %(error)s") % {"error": reason})
            return
        except RecursionError:
            yield _array_syntax_error(number, _("invalid JSON: nested too deeply."))
            return
        yield RawRecord(_record_location(number), value=value)


def _array_syntax_error(number, message):
    if not message.endswith("."):
        message += "."
    return RawRecord(
        _record_location(number),
        error=message + " " + _("Reading stopped: a JSON array cannot be read past a syntax error."),
        fatal=True,
    )
