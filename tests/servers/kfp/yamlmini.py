# SPDX-License-Identifier: Apache-2.0
"""A small YAML reader for the test KFP server (the standard library has none).

It reads the block YAML that the KFP SDK, the KFP 1.x compiler and Argo write:
block mappings and sequences (also the compact "- key: value" form), flow
collections, plain / single-quoted / double-quoted scalars over several lines,
literal and folded block scalars with chomping and indentation indicators,
comments, several documents, anchors and aliases, and the core tags (!!str ...).
Plain scalars resolve as YAML 1.2's core schema (what Go's yaml.v3 does).
Not supported (an error says so): complex "? " keys, merge keys "<<", sets.
"""
import json
import re

__all__ = ["YamlError", "load", "load_all"]


class YamlError(ValueError):
    def __init__(self, message, line=None):
        super().__init__(f"yaml: line {line + 1}: {message}" if line is not None else f"yaml: {message}")
        self.line = line


_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
            "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
            "_": "\xa0", "L": "\u2028", "P": "\u2029"}


def resolve_plain(text):
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text, 10)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    lowered = text.lstrip("+-")
    if lowered in (".inf", ".Inf", ".INF"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text in (".nan", ".NaN", ".NAN"):
        return float("nan")
    return text


def _indent_of(line):
    return len(line) - len(line.lstrip(" "))


def _strip_comment(text):
    """Drops a trailing comment (a '#' after whitespace, outside quotes)."""
    quote = None
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if quote == '"' and c == "\\":
                i += 2
                continue
            if c == quote:
                if quote == "'" and i + 1 < len(text) and text[i + 1] == "'":
                    i += 2
                    continue
                quote = None
        elif c in "\"'" and (i == 0 or text[i - 1] in " \t[{,:-?"):
            quote = c
        elif c == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
        i += 1
    return text.rstrip()


def _find_mapping_colon(text):
    """Index of the ':' that makes `text` a 'key: value' line, or -1."""
    i = 0
    if text[:1] in "\"'":
        quote = text[0]
        i = 1
        while i < len(text):
            if quote == '"' and text[i] == "\\":
                i += 2
                continue
            if text[i] == quote:
                if quote == "'" and text[i + 1:i + 2] == "'":
                    i += 2
                    continue
                break
            i += 1
        else:
            return -1
        rest = text[i + 1:].lstrip(" ")
        if rest.startswith(":") and (len(rest) == 1 or rest[1] in " \t"):
            return i + 1 + (len(text[i + 1:]) - len(text[i + 1:].lstrip(" ")))
        return -1
    if text[:1] in "[{":
        return -1
    while i < len(text):
        c = text[i]
        if c == "#" and i > 0 and text[i - 1] in " \t":
            return -1
        if c == ":" and (i + 1 == len(text) or text[i + 1] in " \t"):
            return i
        i += 1
    return -1


class _Parser:
    def __init__(self, lines, first, last):
        self.lines = lines
        self.i = first
        self.end = last
        self.anchors = {}

    # -- helpers --------------------------------------------------------
    def skip_blank(self):
        while self.i < self.end:
            stripped = self.lines[self.i].strip()
            if stripped and not stripped.startswith("#"):
                return True
            self.i += 1
        return False

    def error(self, message, line=None):
        raise YamlError(message, self.i if line is None else line)

    # -- nodes ----------------------------------------------------------
    def parse_document(self):
        if not self.skip_blank():
            return None
        value = self.parse_block(_indent_of(self.lines[self.i]))
        if self.skip_blank():
            self.error("unexpected content after the document's end")
        return value

    def parse_block(self, indent):
        """Parses the block node whose first line is self.i at `indent`."""
        line = self.lines[self.i]
        text = line[indent:]
        if text.startswith("- ") or text == "-":
            return self.parse_sequence(indent)
        if _find_mapping_colon(_strip_comment(text)) >= 0 and not text.startswith(("&", "!", "*")):
            return self.parse_mapping(indent)
        props, text = self.take_properties(text)
        if props and not _strip_comment(text):
            # "&anchor" or "!!tag" alone on the line: the node follows
            self.i += 1
            if not self.skip_blank():
                return self.apply_properties(props, None)
            return self.apply_properties(props, self.parse_block(_indent_of(self.lines[self.i])))
        value = self.parse_inline(text, indent - 1, indent)
        return self.apply_properties(props, value)

    def take_properties(self, text):
        props = {}
        while text[:1] in ("&", "!"):
            m = re.match(r"([&!][^\s]*)\s*", text)
            token = m.group(1)
            if token.startswith("&"):
                props["anchor"] = token[1:]
            else:
                props["tag"] = token
            text = text[m.end():]
        return props, text

    def apply_properties(self, props, value, raw=None):
        tag = props.get("tag")
        if tag:
            value = self.apply_tag(tag, value, raw)
        if "anchor" in props:
            self.anchors[props["anchor"]] = value
        return value

    def apply_tag(self, tag, value, raw):
        source = raw if raw is not None else value
        if tag in ("!!str", "!str"):
            return "" if source is None else (source if isinstance(source, str) else str(source))
        if tag == "!!int":
            return int(str(source), 0)
        if tag == "!!float":
            return float(source)
        if tag == "!!bool":
            return resolve_plain(str(source)) if isinstance(source, str) else bool(source)
        if tag == "!!null":
            return None
        if tag in ("!!map", "!!seq", "!!binary", "!"):
            return value
        self.error(f"unsupported tag {tag}")

    def parse_sequence(self, indent):
        items = []
        while self.skip_blank():
            line = self.lines[self.i]
            if _indent_of(line) != indent or not (line[indent:].startswith("- ") or line[indent:].rstrip() == "-"):
                if _indent_of(line) > indent:
                    self.error("bad indentation of a sequence entry")
                break
            rest = line[indent + 1:]
            content = rest.lstrip(" ")
            if not _strip_comment(content):
                self.i += 1
                if self.skip_blank() and _indent_of(self.lines[self.i]) > indent:
                    items.append(self.parse_block(_indent_of(self.lines[self.i])))
                else:
                    items.append(None)
                continue
            column = indent + 1 + (len(rest) - len(content))
            # compact nested node: re-read the rest of the line as if it started at its column
            self.lines[self.i] = " " * column + content
            items.append(self.parse_block(column))
        return items

    def parse_mapping(self, indent):
        result = {}
        while self.skip_blank():
            line = self.lines[self.i]
            cur = _indent_of(line)
            if cur != indent:
                if cur > indent:
                    self.error("bad indentation of a mapping entry")
                break
            text = line[indent:]
            if text.startswith("- ") or text.rstrip() == "-":
                break
            if text.startswith("? "):
                self.error("complex mapping keys are not supported")
            stripped = _strip_comment(text)
            colon = _find_mapping_colon(stripped)
            if colon < 0:
                self.error("could not find expected ':'")
            key = self.parse_key(stripped[:colon].rstrip())
            if key == "<<":
                self.error("merge keys are not supported")
            if key in result:
                self.error(f"mapping key {key!r} already defined")
            after = text[colon + 1:]
            value_text = after.lstrip(" ")
            value_col = indent + colon + 1 + (len(after) - len(value_text))
            props, value_text = self.take_properties(value_text)
            if not _strip_comment(value_text):
                self.i += 1
                if self.skip_blank():
                    nxt = self.lines[self.i]
                    nindent = _indent_of(nxt)
                    if nindent > indent or (nindent == indent and (nxt[indent:].startswith("- ") or nxt[indent:].rstrip() == "-")):
                        result[key] = self.apply_properties(props, self.parse_block(nindent))
                        continue
                result[key] = self.apply_properties(props, None)
                continue
            raw_holder = []
            value = self.parse_inline(value_text, indent, value_col, raw_holder)
            result[key] = self.apply_properties(props, value, raw_holder[0] if raw_holder else None)
        return result

    def parse_key(self, text):
        if text.startswith('"'):
            value, _ = self.double_quoted_line(text)
            return value
        if text.startswith("'"):
            return text[1:-1].replace("''", "'")
        return text

    def parse_inline(self, text, parent_indent, column, raw_holder=None):
        """Parses a node that starts in the middle of line self.i (after 'key: ' or '- ')."""
        if text.startswith("*"):
            name = _strip_comment(text)[1:]
            if name not in self.anchors:
                self.error(f"unknown anchor {name!r}")
            self.i += 1
            return self.anchors[name]
        if text[:1] in "|>":
            return self.block_scalar(text, parent_indent)
        if text[:1] in "[{":
            return self.flow(text, column)
        if text.startswith('"'):
            return self.double_quoted(text, column)
        if text.startswith("'"):
            return self.single_quoted(text, column)
        raw = self.plain_scalar(text, parent_indent)
        if raw_holder is not None:
            raw_holder.append(raw)
        return resolve_plain(raw)

    # -- scalars --------------------------------------------------------
    def plain_scalar(self, text, parent_indent):
        first = _strip_comment(text)
        self.i += 1
        if len(first) < len(text.rstrip()):
            return first  # a comment ends the scalar
        parts = [first]
        empties = 0
        while self.i < self.end:
            line = self.lines[self.i]
            if not line.strip():
                empties += 1
                self.i += 1
                continue
            content = line.strip()
            if _indent_of(line) <= parent_indent or content.startswith("#"):
                break
            stripped = _strip_comment(content)
            if _find_mapping_colon(stripped) >= 0:
                self.error("mapping values are not allowed in this context")
            parts.append("\n" * empties if empties else " ")
            parts.append(stripped)
            empties = 0
            self.i += 1
            if len(stripped) < len(content):
                break
        return "".join(parts)

    def collect_quoted(self, text, column, quote):
        """Returns (body lines, the text after the closing quote)."""
        lines = []
        current = text[1:]
        while True:
            j = 0
            while j < len(current):
                c = current[j]
                if quote == '"' and c == "\\":
                    j += 2
                    continue
                if c == quote:
                    if quote == "'" and current[j + 1:j + 2] == "'":
                        j += 2
                        continue
                    lines.append(current[:j])
                    return lines, current[j + 1:]
                j += 1
            lines.append(current)
            self.i += 1
            if self.i >= self.end:
                self.error("found unexpected end of stream in a quoted scalar")
            current = self.lines[self.i]

    def fold_quoted(self, lines, escape):
        segments = []  # (text, ends with an escaped line break, empty)
        for n, raw in enumerate(lines):
            text = raw.lstrip(" \t") if n > 0 else raw
            joined = False
            if n < len(lines) - 1:
                if escape and self._ends_with_escape(text):
                    text, joined = text[:-1], True
                else:
                    text = text.rstrip(" \t")
            value = self.unescape(text) if escape else text.replace("''", "'")
            segments.append((value, joined, text == "" and not joined))
        out = segments[0][0]
        n = 1
        while n < len(segments):
            if segments[n - 1][1]:
                out += segments[n][0]
                n += 1
                continue
            k = n
            while k < len(segments) - 1 and segments[k][2]:
                k += 1
            out += "\n" * (k - n) if k > n else " "
            out += segments[k][0]
            n = k + 1
        return out

    @staticmethod
    def _ends_with_escape(line):
        count = len(line) - len(line.rstrip("\\"))
        return count % 2 == 1

    def unescape(self, text):
        out = []
        i = 0
        while i < len(text):
            c = text[i]
            if c != "\\":
                out.append(c)
                i += 1
                continue
            e = text[i + 1:i + 2]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
                i += 2
            elif e in ("x", "u", "U"):
                width = {"x": 2, "u": 4, "U": 8}[e]
                digits = text[i + 2:i + 2 + width]
                if len(digits) != width or not re.match(r"^[0-9a-fA-F]+$", digits):
                    self.error(f"bad escape \\{e}{digits}")
                out.append(chr(int(digits, 16)))
                i += 2 + width
            else:
                self.error(f"unknown escape character {e!r}")
        return "".join(out)

    def double_quoted_line(self, text):
        start = self.i
        lines, rest = self.collect_quoted(text, 0, '"')
        if self.i != start:
            self.error("a multi-line key")
        return self.fold_quoted(lines, True), rest

    def double_quoted(self, text, column):
        lines, rest = self.collect_quoted(text, column, '"')
        self.after_scalar(rest)
        return self.fold_quoted(lines, True)

    def single_quoted(self, text, column):
        lines, rest = self.collect_quoted(text, column, "'")
        self.after_scalar(rest)
        return self.fold_quoted(lines, False)

    def after_scalar(self, rest):
        if _strip_comment(rest).strip():
            self.error(f"unexpected text after a quoted scalar: {rest.strip()!r}")
        self.i += 1

    def block_scalar(self, header, parent_indent):
        header = _strip_comment(header)
        m = re.match(r"^([|>])([-+]?)([1-9]?)([-+]?)$", header)
        if not m:
            self.error(f"bad block scalar header {header!r}")
        style, chomp, explicit = m.group(1), m.group(2) or m.group(4), m.group(3)
        self.i += 1
        body = []
        indent = parent_indent + int(explicit) if explicit else None
        if indent is not None and indent < 0:
            indent = int(explicit)
        while self.i < self.end:
            line = self.lines[self.i]
            if not line.strip():
                body.append("")
                self.i += 1
                continue
            cur = _indent_of(line)
            if indent is None:
                if cur <= parent_indent:
                    break
                indent = cur
            if cur < indent:
                break
            body.append(line[indent:])
            self.i += 1
        # trailing blank lines belong to chomping
        trailing = 0
        while body and body[-1] == "":
            body.pop()
            trailing += 1
        if not body:
            return "\n" * trailing if chomp == "+" else ""
        if style == "|":
            text = "\n".join(body)
        else:
            text = ""
            empties = 0
            prev_more = None
            for line in body:
                if line == "":
                    empties += 1
                    continue
                more = line[0] in " \t"
                if prev_more is None:
                    text = "\n" * empties + line
                elif not more and not prev_more:
                    text += ("\n" * empties if empties else " ") + line
                else:
                    text += "\n" + "\n" * empties + line
                empties = 0
                prev_more = more
        if chomp == "-":
            return text
        if chomp == "+":
            return text + "\n" + "\n" * trailing
        return text + "\n"

    # -- flow collections -----------------------------------------------
    def flow(self, text, column):
        chunks = [text]
        depth = 0
        quote = None
        start_line = self.i
        while True:
            segment = chunks[-1]
            j = 0
            while j < len(segment):
                c = segment[j]
                if quote:
                    if quote == '"' and c == "\\":
                        j += 2
                        continue
                    if c == quote:
                        if quote == "'" and segment[j + 1:j + 2] == "'":
                            j += 2
                            continue
                        quote = None
                elif c in "\"'" and segment[:j].rstrip()[-1:] in ("", "[", "{", ",", ":"):
                    quote = c
                elif c == "#" and (j == 0 or segment[j - 1] in " \t"):
                    chunks[-1] = segment[:j]
                    break
                elif c in "[{":
                    depth += 1
                elif c in "]}":
                    depth -= 1
                    if depth == 0:
                        rest = segment[j + 1:]
                        chunks[-1] = segment[:j + 1]
                        if _strip_comment(rest).strip():
                            self.error("unexpected text after a flow collection")
                        self.i += 1
                        return _FlowParser(" ".join(c.strip() for c in chunks), self, start_line).parse()
                j += 1
            self.i += 1
            if self.i >= self.end:
                self.error("unterminated flow collection", start_line)
            chunks.append(self.lines[self.i])


class _FlowParser:
    def __init__(self, text, outer, line):
        self.text = text
        self.pos = 0
        self.outer = outer
        self.line = line

    def error(self, message):
        raise YamlError(f"{message} in a flow collection", self.line)

    def ws(self):
        while self.pos < len(self.text) and self.text[self.pos] in " \t\n":
            self.pos += 1

    def parse(self):
        value = self.node()
        self.ws()
        if self.pos != len(self.text):
            self.error("unexpected text")
        return value

    def node(self):
        self.ws()
        if self.text[self.pos:self.pos + 1] == "&":
            end = self.pos
            while end < len(self.text) and self.text[end] not in " \t,]}":
                end += 1
            name = self.text[self.pos + 1:end]
            self.pos = end
            value = self.node()
            self.outer.anchors[name] = value
            return value
        c = self.text[self.pos:self.pos + 1]
        if c == "[":
            self.pos += 1
            items = []
            while True:
                self.ws()
                if self.text[self.pos:self.pos + 1] == "]":
                    self.pos += 1
                    return items
                key = self.node()
                self.ws()
                if self.text[self.pos:self.pos + 1] == ":":
                    self.pos += 1
                    items.append({key: self.node()})
                    self.ws()
                else:
                    items.append(key)
                if self.text[self.pos:self.pos + 1] == ",":
                    self.pos += 1
                elif self.text[self.pos:self.pos + 1] != "]":
                    self.error("expected ',' or ']'")
        if c == "{":
            self.pos += 1
            result = {}
            while True:
                self.ws()
                if self.text[self.pos:self.pos + 1] == "}":
                    self.pos += 1
                    return result
                key = self.node()
                self.ws()
                if self.text[self.pos:self.pos + 1] == ":":
                    self.pos += 1
                    value = self.node()
                else:
                    value = None
                if isinstance(key, (dict, list)):
                    self.error("a collection used as a key")
                result[key] = value
                self.ws()
                if self.text[self.pos:self.pos + 1] == ",":
                    self.pos += 1
                elif self.text[self.pos:self.pos + 1] != "}":
                    self.error("expected ',' or '}'")
        if c in ("'", '"'):
            end = self.pos + 1
            while end < len(self.text):
                if c == '"' and self.text[end] == "\\":
                    end += 2
                    continue
                if self.text[end] == c:
                    if c == "'" and self.text[end + 1:end + 2] == "'":
                        end += 2
                        continue
                    break
                end += 1
            body = self.text[self.pos + 1:end]
            self.pos = end + 1
            return self.outer.unescape(body) if c == '"' else body.replace("''", "'")
        start = self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in ",]}":
                break
            if ch == ":" and (self.pos + 1 == len(self.text) or self.text[self.pos + 1] in " ,]}\t"):
                break
            self.pos += 1
        raw = self.text[start:self.pos].strip()
        if raw.startswith("*"):
            if raw[1:] not in self.outer.anchors:
                self.error(f"unknown anchor {raw[1:]!r}")
            return self.outer.anchors[raw[1:]]
        return resolve_plain(raw)


def _documents(text):
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    bounds = []
    start = 0
    explicit = False
    for n, line in enumerate(lines):
        if line.startswith("%") and not explicit:
            start = n + 1
            continue
        if re.match(r"^---(\s|$)", line):
            if n > start or explicit:
                bounds.append((start, n))
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                lines[n] = rest  # "--- value" on one line
                start = n
            else:
                start = n + 1
            explicit = True
        elif re.match(r"^\.\.\.(\s|$)", line):
            bounds.append((start, n))
            start = n + 1
            explicit = False
    bounds.append((start, len(lines)))
    return lines, bounds


def load_all(text):
    """All documents of a YAML stream (empty documents are left out)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            return [json.loads(stripped)]
        except ValueError:
            pass
    lines, bounds = _documents(text)
    docs = []
    for first, last in bounds:
        parser = _Parser(lines, first, last)
        if not parser.skip_blank():
            continue
        docs.append(parser.parse_document())
    return docs


def load(text):
    """The single document of a YAML stream (None for an empty stream)."""
    docs = load_all(text)
    if len(docs) > 1:
        raise YamlError("expected a single document in the stream")
    return docs[0] if docs else None
