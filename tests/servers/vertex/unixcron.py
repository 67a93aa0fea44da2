# SPDX-License-Identifier: Apache-2.0
"""Vertex AI Schedule cron: five Unix fields (minute hour day-of-month month
day-of-week), optionally after "TZ=<IANA zone> " or "CRON_TZ=<IANA zone> "
(without one the zone is UTC). Ranges, lists, steps, `*`, month and weekday
names, 7 for Sunday; when both day fields are restricted a day matching
either runs (Vixie cron). next_after() finds the next run time."""
import datetime
import re
import zoneinfo

_FIELDS = [("minute", 0, 59, None), ("hour", 0, 23, None), ("day of month", 1, 31, None),
           ("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
           ("day of week", 0, 7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"])]
_PREFIX = re.compile(r"^(CRON_TZ|TZ)=(\S+)\s+(.*)$")


class CronError(ValueError):
    pass


class Cron:
    def __init__(self, text):
        self.text = text
        self.zone_name = "UTC"
        body = text.strip()
        m = _PREFIX.match(body)
        if m:
            self.zone_name = m.group(2)
            body = m.group(3)
            try:
                zoneinfo.ZoneInfo(self.zone_name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                raise CronError(f"unknown time zone {self.zone_name!r} (an IANA name such as Asia/Tokyo is wanted)")
        elif body.startswith(("TZ", "CRON_TZ")):
            raise CronError(f"malformed time zone prefix in {text!r} (TZ=<IANA zone> then the five fields)")
        parts = body.split()
        if len(parts) != 5:
            raise CronError(f"expected 5 fields (minute hour day-of-month month day-of-week), found {len(parts)}")
        self.sets = [_field(p, *spec) for p, spec in zip(parts, _FIELDS)]
        if 7 in self.sets[4]:
            self.sets[4] = (self.sets[4] - {7}) | {0}
        self.dom_star = parts[2] == "*" or parts[2].startswith("*/")
        self.dow_star = parts[4] == "*" or parts[4].startswith("*/")
        self.zone = zoneinfo.ZoneInfo(self.zone_name)

    def _day_ok(self, day):
        dom = day.day in self.sets[2]
        dow = (day.isoweekday() % 7) in self.sets[4]
        if self.dom_star or self.dow_star:
            return dom and dow
        return dom or dow

    def next_after(self, seconds):
        """The first run time strictly after `seconds` (epoch), as epoch seconds; None within 5 years."""
        start = datetime.datetime.fromtimestamp(int(seconds) // 60 * 60 + 60, datetime.timezone.utc)
        local = start.astimezone(self.zone).replace(tzinfo=None)
        day = local.date()
        for _ in range(366 * 5):
            if day.month in self.sets[3] and self._day_ok(day):
                for hour in sorted(self.sets[1]):
                    for minute in sorted(self.sets[0]):
                        candidate = datetime.datetime(day.year, day.month, day.day, hour, minute)
                        if candidate < local.replace(second=0, microsecond=0):
                            continue
                        aware = candidate.replace(tzinfo=self.zone)
                        # a wall time skipped by a DST change does not exist: skip it
                        if aware.astimezone(datetime.timezone.utc).astimezone(self.zone).replace(tzinfo=None) \
                                != candidate:
                            continue
                        at = aware.timestamp()
                        if at > seconds:
                            return at
            day += datetime.timedelta(days=1)
        return None


def _field(text, name, low, high, names):
    values = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, _, step_text = part.partition("/")
            if not step_text.isdigit() or int(step_text) == 0:
                raise CronError(f"invalid step {step_text!r} in the {name} field")
            step = int(step_text)
        if part == "*":
            first, last = low, high if name != "day of week" else 6
        elif "-" in part:
            a, _, b = part.partition("-")
            first, last = _value(a, name, low, high, names), _value(b, name, low, high, names)
            if first > last:
                raise CronError(f"invalid range {part!r} in the {name} field")
        else:
            first = _value(part, name, low, high, names)
            last = first if "/" not in text else high
        values.update(range(first, last + 1, step))
    return values


def _value(text, name, low, high, names):
    if names and text.lower() in names:
        return names.index(text.lower()) + (1 if name == "month" else 0)
    if not text.isdigit():
        raise CronError(f"invalid value {text!r} in the {name} field")
    number = int(text)
    if not low <= number <= high:
        raise CronError(f"value {number} out of range [{low}, {high}] in the {name} field")
    return number
