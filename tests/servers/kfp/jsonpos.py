# SPDX-License-Identifier: Apache-2.0
"""A JSON reader that remembers where every key and value started, so errors
can say "(line 1:2)" the way protojson does."""
import bisect
import json

_WS = " \t\n\r"
_decoder = json.JSONDecoder()


class JsonSyntaxError(ValueError):
    def __init__(self, message, line, column):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class Parsed:
    """The decoded value plus positions: `keys[path]` is where the key of the
    member at `path` starts, `values[path]` where the value starts, and
    `raw[path]` the value's first token as written (for error messages)."""

    def __init__(self, text):
        self.text = text
        self.keys = {}
        self.values = {}
        self.raw = {}
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def position(self, offset):
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def key_position(self, path):
        return self.position(self.keys.get(tuple(path), self.values.get(tuple(path), 0)))

    def value_position(self, path):
        return self.position(self.values.get(tuple(path), 0))


def parse(text):
    """Parses `text`; returns (value, Parsed). Raises JsonSyntaxError."""
    doc = Parsed(text)
    reader = _Reader(text, doc)
    reader.skip()
    if reader.pos >= len(text):
        raise JsonSyntaxError("unexpected token", *doc.position(reader.pos)) if text.strip() else \
            JsonSyntaxError("unexpected EOF", 1, 1)
    value = reader.value(())
    reader.skip()
    if reader.pos != len(text):
        raise JsonSyntaxError(f"unexpected token {text[reader.pos:reader.pos + 10]}", *doc.position(reader.pos))
    return value, doc


class _Reader:
    def __init__(self, text, doc):
        self.text = text
        self.pos = 0
        self.doc = doc

    def skip(self):
        while self.pos < len(self.text) and self.text[self.pos] in _WS:
            self.pos += 1

    def fail(self, message):
        raise JsonSyntaxError(message, *self.doc.position(self.pos))

    def value(self, path):
        self.skip()
        if self.pos >= len(self.text):
            self.fail("unexpected EOF")
        start = self.pos
        self.doc.values[path] = start
        c = self.text[start]
        if c == "{":
            self.doc.raw[path] = "{"
            self.pos += 1
            result = {}
            self.skip()
            if self.text[self.pos:self.pos + 1] == "}":
                self.pos += 1
                return result
            while True:
                self.skip()
                if self.text[self.pos:self.pos + 1] != '"':
                    self.fail(f"unexpected token {self.text[self.pos:self.pos + 1] or 'EOF'}")
                key_start = self.pos
                key = self.string()
                child = path + (key,)
                if key in result:
                    self.pos = key_start
                    raise JsonSyntaxError(f'duplicate field "{key}"', *self.doc.position(key_start))
                self.doc.keys[child] = key_start
                self.skip()
                if self.text[self.pos:self.pos + 1] != ":":
                    self.fail("unexpected token, expected ':'")
                self.pos += 1
                result[key] = self.value(child)
                self.skip()
                c = self.text[self.pos:self.pos + 1]
                if c == ",":
                    self.pos += 1
                    continue
                if c == "}":
                    self.pos += 1
                    return result
                self.fail(f"unexpected token {c or 'EOF'}")
        if c == "[":
            self.doc.raw[path] = "["
            self.pos += 1
            result = []
            self.skip()
            if self.text[self.pos:self.pos + 1] == "]":
                self.pos += 1
                return result
            while True:
                result.append(self.value(path + (len(result),)))
                self.skip()
                c = self.text[self.pos:self.pos + 1]
                if c == ",":
                    self.pos += 1
                    continue
                if c == "]":
                    self.pos += 1
                    return result
                self.fail(f"unexpected token {c or 'EOF'}")
        if c == '"':
            value = self.string()
            self.doc.raw[path] = self.text[start:self.pos]
            return value
        try:
            value, end = _decoder.raw_decode(self.text, start)
        except ValueError:
            self.fail(f"invalid value {self.text[start:start + 10]}")
        if isinstance(value, (dict, list, str)):
            self.fail("unexpected token")
        self.doc.raw[path] = self.text[start:end]
        self.pos = end
        return value

    def string(self):
        try:
            value, end = json.decoder.scanstring(self.text, self.pos + 1, True)
        except ValueError:
            self.fail("invalid string")
        self.pos = end
        return value
