# SPDX-License-Identifier: Apache-2.0
"""What a list call selects and shows:

- Kubernetes label selectors (labels.Parse): `k=v`, `k==v`, `k!=v`,
  `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, comma-separated (all must hold);
- the field selectors the Argo Server's ListWorkflows understands
  (server/utils/list_options.go): metadata.name, metadata.namespace,
  spec.startedAt>/<, ext.showRemainingItemCount; anything else is refused;
- the `fields` parameter (util/fields.Cleaner): a comma-separated list of
  dotted JSON paths to keep (arrays are walked through), or, starting with
  "-", to drop."""
import re

from rpcstatus import ApiError, INTERNAL, invalid

_KEY = re.compile(r"^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$")
_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


class Requirement:
    def __init__(self, key, op, values):
        self.key, self.op, self.values = key, op, values

    def matches(self, labels):
        present = self.key in labels
        value = labels.get(self.key)
        if self.op in ("=", "==", "in"):
            return present and value in self.values
        if self.op in ("!=", "notin"):
            return not present or value not in self.values
        if self.op == "exists":
            return present
        return not present  # "!"


def _split_top(text):
    """Splits on commas outside parentheses."""
    parts, depth, current = [], 0, ""
    for c in text:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += c
    parts.append(current)
    return parts


def _check_key(key):
    if not _KEY.match(key) or len(key.split("/")[-1]) > 63:
        raise invalid(f'unable to parse requirement: <nil>: Invalid value: "{key}": name part must consist of '
                      f"alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")


def _check_value(value):
    if len(value) > 63 or not _VALUE.match(value):
        raise invalid(f'unable to parse requirement: values[0][{value}]: Invalid value: "{value}": a valid label must '
                      f"be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and "
                      f"end with an alphanumeric character")


def parse_label_selector(text):
    """[Requirement]; raises a 400 worded like labels.Parse."""
    out = []
    if not text or not text.strip():
        return out
    for part in _split_top(text):
        part = part.strip()
        if not part:
            raise invalid("found '', expected: !, identifier, or 'end of string'")
        m = re.match(r"^(\S+?)\s+(in|notin)\s*\((.*)\)$", part)
        if m:
            key, op = m.group(1), m.group(2)
            values = [v.strip() for v in m.group(3).split(",")]
            _check_key(key)
            for v in values:
                _check_value(v)
            out.append(Requirement(key, op, set(values)))
            continue
        m = re.match(r"^([^!=\s]+)\s*(==|!=|=)\s*(\S*)$", part)
        if m:
            _check_key(m.group(1))
            _check_value(m.group(3))
            out.append(Requirement(m.group(1), m.group(2), {m.group(3)}))
            continue
        if part.startswith("!"):
            _check_key(part[1:].strip())
            out.append(Requirement(part[1:].strip(), "!", set()))
            continue
        if re.match(r"^\S+$", part) and not re.search(r"[()<>]", part):
            _check_key(part)
            out.append(Requirement(part, "exists", set()))
            continue
        raise invalid(f"couldn't parse the selector string \"{text}\": unable to parse requirement: found "
                      f"'{part.split()[1] if len(part.split()) > 1 else part}', expected: '=', '!=', '==', 'in', notin'")
    return out


def labels_match(requirements, labels):
    return all(r.matches(labels or {}) for r in requirements)


NAME_MATCH = {"": lambda name, w: name == w, "Exact": lambda name, w: name == w,
              "Contains": lambda name, w: w in name, "Prefix": lambda name, w: name.startswith(w)}


def parse_workflow_field_selector(text, namespace, name_filter=""):
    """The subset of field selectors ListWorkflows supports, as a predicate on
    (metadata, status); unsupported ones -> 400 "unsupported requirement X".
    `name_filter` (the nameFilter parameter: Exact, the default, Contains or
    Prefix) says how `metadata.name=` matches; the server's query builder
    adds no name clause for any other value."""
    tests = []
    for selector in (text or "").split(","):
        if not selector:
            continue
        if selector.startswith("metadata.namespace="):
            wanted = selector.split("=", 1)[1]
            if namespace and wanted != namespace:
                raise invalid(f"'namespace' query param ({namespace!r}) and fieldselector 'metadata.namespace' "
                              f"({wanted!r}) are both specified and contradict each other")
            tests.append(lambda m, s, w=wanted: m.get("namespace") == w)
        elif selector.startswith("metadata.name!="):
            tests.append(lambda m, s, w=selector[15:]: m.get("name") != w)
        elif selector.startswith("metadata.name=="):
            tests.append(lambda m, s, w=selector[15:]: m.get("name") == w)
        elif selector.startswith("metadata.name="):
            match = NAME_MATCH.get(name_filter)
            if match is not None:
                tests.append(lambda m, s, w=selector[14:], match=match: match(m.get("name") or "", w))
        elif selector.startswith(("spec.startedAt>", "spec.startedAt<")):
            bound = selector[15:]
            if not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", bound):
                raise ApiError(INTERNAL, f'parsing time "{bound}" as "2006-01-02T15:04:05Z07:00": cannot parse '
                                         f'"{bound}" as "2006"')
            later = selector[14] == ">"
            tests.append(lambda m, s, b=bound, later=later: bool(s.get("startedAt")) and
                         ((s["startedAt"] > b) if later else (s["startedAt"] < b)))
        elif selector.startswith("ext.showRemainingItemCount"):
            continue
        else:
            raise invalid(f"unsupported requirement {selector}")
    return lambda meta, status: all(t(meta, status) for t in tests)


# -- the `fields` parameter --------------------------------------------------

class Cleaner:
    def __init__(self, text):
        self.exclude = bool(text) and text.startswith("-")
        body = text[1:] if self.exclude else (text or "")
        self.fields = {f for f in body.split(",") if f}

    @property
    def active(self):
        return bool(self.fields)

    def will_exclude(self, path):
        if not self.fields:
            return False
        if self.exclude:
            return path in self.fields
        return path not in self.fields and not any(f.startswith(path + ".") for f in self.fields) \
            and not any(path.startswith(f + ".") for f in self.fields)

    def clean(self, value):
        if not self.fields:
            return value
        return self._clean(value, "")

    def _clean(self, value, prefix):
        if isinstance(value, list):
            return [self._clean(v, prefix) for v in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, element in value.items():
            path = f"{prefix}.{key}" if prefix else key
            if self.exclude:
                if path not in self.fields:
                    out[key] = self._clean(element, path)
            elif path in self.fields:
                out[key] = element
            elif any(f.startswith(path + ".") for f in self.fields):
                out[key] = self._clean(element, path)
        return out
