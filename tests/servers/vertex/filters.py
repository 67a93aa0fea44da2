# SPDX-License-Identifier: Apache-2.0
"""List filters: AIP-160 (Vertex AI's ListPipelineJobs / ListSchedules) and
the Cloud Logging query language (entries:list). Both share one grammar:

    expression  = sequence { "AND" sequence }
    sequence    = factor { factor }            (juxtaposition is AND)
    factor      = term { "OR" term }           (OR binds tighter than AND)
    term        = [ "NOT" | "-" ] simple
    simple      = "(" expression ")" | field operator value
    operator    = "=" | "!=" | "<" | "<=" | ">" | ">=" | ":"  (Logging also "=~", "!~")

Values are "quoted strings" or bare words (enum names, numbers, `*`).
Free-text terms (a value without a field) are refused. parse() gives a
tree; Filter.matches() evaluates it with a field table that says which
fields exist, which operators each takes and how to read it from a resource.
"""
import fnmatch
import re

_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|(\'(?:[^\'\\]|\\.)*\')|(=~|!~|!=|<=|>=|=|<|>|:|\(|\))|'
                    r'([^\s()=!<>:"\']+))')


class FilterSyntaxError(ValueError):
    def __init__(self, column, token):
        super().__init__(f"syntax error at line 1, column {column}, token '{token}'")
        self.column = column
        self.token = token


class Token:
    def __init__(self, kind, text, column):
        self.kind = kind        # "string" | "op" | "word" | "end"
        self.text = text
        self.column = column


def tokenize(text):
    tokens = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FilterSyntaxError(pos + 1, text[pos])
        column = m.start() + len(m.group(0)) - len(m.group(0).lstrip()) + 1
        if m.group(1) or m.group(2):
            raw = (m.group(1) or m.group(2))[1:-1]
            tokens.append(Token("string", re.sub(r"\\(.)", r"\1", raw), column))
        elif m.group(3):
            tokens.append(Token("op", m.group(3), column))
        else:
            tokens.append(Token("word", m.group(4), column))
        pos = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class Node:
    def __init__(self, kind, children=(), field=None, op=None, value=None, quoted=False, column=0):
        self.kind = kind        # "and" | "or" | "not" | "cmp"
        self.children = list(children)
        self.field = field
        self.op = op
        self.value = value
        self.quoted = quoted
        self.column = column


class _Parser:
    def __init__(self, text, operators):
        self.tokens = tokenize(text)
        self.i = 0
        self.operators = operators

    def peek(self):
        return self.tokens[self.i]

    def take(self):
        token = self.tokens[self.i]
        self.i += 1
        return token

    def fail(self, token=None):
        token = token or self.peek()
        raise FilterSyntaxError(token.column, token.text or "<EOF>")

    def parse(self):
        if self.peek().kind == "end":
            return None
        node = self.expression()
        if self.peek().kind != "end":
            self.fail()
        return node

    def expression(self):
        parts = [self.sequence()]
        while self.peek().kind == "word" and self.peek().text == "AND":
            self.take()
            parts.append(self.sequence())
        return parts[0] if len(parts) == 1 else Node("and", parts)

    def sequence(self):
        parts = [self.factor()]
        while self.peek().kind in ("word", "string") and self.peek().text not in ("AND", "OR") or \
                (self.peek().kind == "op" and self.peek().text == "("):
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else Node("and", parts)

    def factor(self):
        parts = [self.term()]
        while self.peek().kind == "word" and self.peek().text == "OR":
            self.take()
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else Node("or", parts)

    def term(self):
        token = self.peek()
        if token.kind == "word" and token.text == "NOT":
            self.take()
            return Node("not", [self.simple()])
        if token.kind == "word" and token.text.startswith("-") and len(token.text) > 1:
            token.text = token.text[1:]
            return Node("not", [self.simple()])
        return self.simple()

    def simple(self):
        token = self.peek()
        if token.kind == "op" and token.text == "(":
            self.take()
            node = self.expression()
            if not (self.peek().kind == "op" and self.peek().text == ")"):
                self.fail()
            self.take()
            return node
        if token.kind != "word" or token.text in ("AND", "OR", "NOT"):
            self.fail()
        field = self.take()
        op = self.peek()
        if op.kind != "op" or op.text in ("(", ")") or op.text not in self.operators:
            self.fail(op if op.kind != "end" else None)
        self.take()
        value = self.peek()
        if value.kind not in ("word", "string") or (value.kind == "word" and value.text in ("AND", "OR", "NOT")):
            self.fail()
        self.take()
        return Node("cmp", field=field.text, op=op.text, value=value.text, quoted=value.kind == "string",
                    column=field.column)


AIP160_OPERATORS = ("=", "!=", "<", "<=", ">", ">=", ":")
LOGGING_OPERATORS = AIP160_OPERATORS + ("=~", "!~")


def parse(text, operators=AIP160_OPERATORS):
    """The filter's tree (None for an empty filter); FilterSyntaxError otherwise."""
    return _Parser(text or "", operators).parse()


class FieldError(ValueError):
    pass


class Field:
    """A filterable field: its operators, how to read it, how to compare."""

    def __init__(self, operators, read, kind="string", values=None):
        self.operators = operators
        self.read = read            # resource -> value (None when absent)
        self.kind = kind            # "string" | "enum" | "time" | "map" | "ordered"
        self.values = values        # enum names, or the order of an "ordered" field


def check(tree, fields, prefix_fields=()):
    """Refuses fields and operators the table does not have (FieldError)."""
    if tree is None:
        return
    if tree.kind != "cmp":
        for child in tree.children:
            check(child, fields, prefix_fields)
        return
    field = _field_for(tree.field, fields, prefix_fields)
    if field is None:
        raise FieldError(f"unsupported field \"{tree.field}\" in the filter")
    if tree.op not in field.operators:
        raise FieldError(f"operator \"{tree.op}\" is not supported for field \"{tree.field}\"")
    if field.kind == "enum" and tree.value not in field.values:
        raise FieldError(f"invalid value \"{tree.value}\" for field \"{tree.field}\"")
    if field.kind == "time" and not (tree.op == ":" and tree.value == "*") and _seconds(tree.value) is None:
        raise FieldError(f"invalid timestamp \"{tree.value}\" for field \"{tree.field}\" (RFC 3339 wanted)")


def _field_for(name, fields, prefix_fields):
    if name in fields:
        return fields[name]
    for prefix in prefix_fields:
        if name.startswith(prefix + "."):
            return fields[prefix]
    return None


def matches(tree, resource, fields, prefix_fields=()):
    if tree is None:
        return True
    if tree.kind == "and":
        return all(matches(c, resource, fields, prefix_fields) for c in tree.children)
    if tree.kind == "or":
        return any(matches(c, resource, fields, prefix_fields) for c in tree.children)
    if tree.kind == "not":
        return not matches(tree.children[0], resource, fields, prefix_fields)
    field = _field_for(tree.field, fields, prefix_fields)
    if field is None:
        return False
    actual = field.read(resource, tree.field)
    return compare(actual, tree.op, tree.value, field)


def compare(actual, op, expected, field):
    if op == ":" and expected == "*":
        return actual is not None and actual != ""
    if actual is None:
        return op in ("!=", "!~")
    if field.kind == "time":
        left, right = actual, _seconds(expected)
    elif field.kind == "ordered":
        order = field.values
        left = order.index(actual) if actual in order else -1
        right = order.index(expected.upper()) if expected.upper() in order else -1
    else:
        left, right = str(actual), expected
    if op == "=":
        return left == right
    if op == "!=":
        return left != right
    if op == ":":
        if isinstance(left, str) and "*" in right:
            return fnmatch.fnmatchcase(left, right)
        return isinstance(left, str) and right.lower() in left.lower()
    if op == "=~":
        return re.search(right, str(left)) is not None
    if op == "!~":
        return re.search(right, str(left)) is None
    try:
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
    except TypeError:
        return False


def _seconds(text):
    import esf
    return esf.parse_timestamp(text)
