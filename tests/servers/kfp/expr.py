# SPDX-License-Identifier: Apache-2.0
"""Conditions, evaluated the way the run's driver would: the CEL subset KFP
v2 writes in triggerPolicy.condition (inputs.parameter_values['x'] == 'y',
int(...) > 5, !, &&, ||) and the govaluate subset of an Argo `when` after
its {{...}} were substituted ("heads" == "tails", 3 > 2, bare words)."""
import re

_TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+\.\d*(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?|\.\d+)
  | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<op>==|!=|<=|>=|&&|\|\||[<>!()\[\].,+\-*/%])
  | (?P<word>[A-Za-z_][\w\-]*)
)""", re.X)


class ExprError(ValueError):
    pass


def _tokens(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"unexpected character {text[pos]!r} in {text!r}")
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "str":
            body = value[1:-1]
            value = re.sub(r"\\(.)", lambda e: {"n": "\n", "t": "\t"}.get(e.group(1), e.group(1)), body)
        elif kind == "num":
            value = float(value) if re.search(r"[.eE]", value) else int(value)
        out.append((kind, value))
    return out


class _Parser:
    def __init__(self, tokens, env, bare_words_are_strings):
        self.tokens = tokens
        self.i = 0
        self.env = env
        self.bare = bare_words_are_strings

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def accept(self, op):
        if self.peek() == ("op", op):
            self.i += 1
            return True
        return False

    def expect(self, op):
        if not self.accept(op):
            raise ExprError(f"expected {op!r}")

    def parse(self):
        value = self.disjunction()
        if self.i != len(self.tokens):
            raise ExprError(f"unexpected {self.peek()[1]!r}")
        return value

    def disjunction(self):
        value = self.conjunction()
        while self.accept("||"):
            right = self.conjunction()
            value = _truth(value) or _truth(right)
        return value

    def conjunction(self):
        value = self.comparison()
        while self.accept("&&"):
            right = self.comparison()
            value = _truth(value) and _truth(right)
        return value

    def comparison(self):
        left = self.additive()
        kind, op = self.peek()
        if kind == "op" and op in ("==", "!=", "<", "<=", ">", ">="):
            self.i += 1
            return _compare(op, left, self.additive())
        return left

    def additive(self):
        value = self.unary()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.peek()[1]
            self.i += 1
            right = self.unary()
            if op == "+" and isinstance(value, str) and isinstance(right, str):
                value = value + right
            elif _is_number(value) and _is_number(right):
                value = value + right if op == "+" else value - right
            else:
                raise ExprError(f"cannot apply {op} to {value!r} and {right!r}")
        return value

    def unary(self):
        if self.accept("!"):
            return not _truth(self.unary())
        if self.accept("-"):
            value = self.unary()
            if not _is_number(value):
                raise ExprError(f"cannot negate {value!r}")
            return -value
        return self.postfix()

    def postfix(self):
        kind, token = self.peek()
        if kind == "word" and self.tokens[self.i + 1:self.i + 2] == [("op", "(")]:
            self.i += 2
            args = []
            if not self.accept(")"):
                args.append(self.disjunction())
                while self.accept(","):
                    args.append(self.disjunction())
                self.expect(")")
            value = _call(token, args)
        else:
            value = self.primary()
        while True:
            if self.accept("."):
                kind, name = self.peek()
                if kind != "word":
                    raise ExprError("expected a field name after '.'")
                self.i += 1
                value = _member(value, name)
            elif self.accept("["):
                key = self.disjunction()
                self.expect("]")
                value = _member(value, key)
            else:
                return value

    def primary(self):
        kind, token = self.peek()
        self.i += 1
        if kind in ("num", "str"):
            return token
        if kind == "op" and token == "(":
            value = self.disjunction()
            self.expect(")")
            return value
        if kind == "word":
            if token in ("true", "false"):
                return token == "true"
            if token == "null":
                return None
            if token in self.env:
                return self.env[token]
            if self.bare:
                return token
            raise ExprError(f"undeclared reference to {token!r}")
        raise ExprError(f"unexpected {token!r}")


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _truth(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v in ("true", "false"):
        return v == "true"
    raise ExprError(f"{v!r} is not a boolean")


def _compare(op, a, b):
    if _is_number(a) and _is_number(b):
        pass
    elif type(a) is not type(b):
        if op == "==":
            return False
        if op == "!=":
            return True
        raise ExprError(f"cannot compare {a!r} with {b!r}")
    return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _member(value, key):
    if isinstance(value, dict):
        if key not in value:
            raise ExprError(f"no such key: {key}")
        return value[key]
    if isinstance(value, list) and _is_number(key) and 0 <= int(key) < len(value):
        return value[int(key)]
    raise ExprError(f"no such key: {key}")


def _call(name, args):
    if len(args) != 1:
        raise ExprError(f"{name}() takes one argument")
    v = args[0]
    try:
        if name == "int":
            return int(v)
        if name == "double":
            return float(v)
        if name == "string":
            return v if isinstance(v, str) else ("true" if v is True else "false" if v is False else str(v))
        if name == "bool":
            return _truth(v)
        if name == "size":
            return len(v)
    except (TypeError, ValueError) as e:
        raise ExprError(f"{name}({v!r}): {e}")
    raise ExprError(f"unknown function {name}()")


def eval_cel(condition, parameter_values):
    """A KFP v2 trigger condition; `parameter_values` are the task's inputs."""
    env = {"inputs": {"parameter_values": parameter_values}}
    return _truth(_Parser(_tokens(condition), env, False).parse())


def eval_when(expression):
    """An Argo `when`, its {{...}} already substituted."""
    return _truth(_Parser(_tokens(expression), {}, True).parse())
