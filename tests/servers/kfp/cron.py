# SPDX-License-Identifier: Apache-2.0
"""Cron expressions as KFP's recurring runs read them: robfig/cron v1's
Parse, seconds first: "sec min hour dom month [dow]", or @yearly, @monthly,
@weekly, @daily, @midnight, @hourly, @every <duration>.

robfig's Parse also accepts five fields (the day of week is optional), but
reads them seconds first too: "0 6 * * *" runs at minute 6 of every hour,
not at 06:00. By default this server refuses five fields so a client that
sends Unix cron is caught; --lenient-cron accepts them as KFP does."""
import re

_BOUNDS = [("second", 0, 59, None), ("minute", 0, 59, None), ("hour", 0, 23, None),
           ("day of month", 1, 31, None),
           ("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
           ("day of week", 0, 6, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"])]
_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")


class CronError(ValueError):
    pass


def _value(text, low, names):
    if names and text.lower() in names:
        return names.index(text.lower()) + low
    if not re.match(r"^[0-9]+$", text):
        raise CronError(f'Failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax')
    return int(text)


def _field(text, name, low, high, names, allow_question):
    for part in text.split(","):
        step = None
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = _value(step_text, 0, None)
            if step == 0:
                raise CronError(f"Step of range should be a positive number: {text}")
        if part in ("*", "?"):
            if part == "?" and not allow_question:
                raise CronError(f"'?' is only allowed in day of month and day of week: {text}")
            continue
        bounds = part.split("-", 1)
        start = _value(bounds[0], low, names)
        end = _value(bounds[1], low, names) if len(bounds) == 2 else start
        if start < low:
            raise CronError(f"Beginning of range ({start}) below minimum ({low}): {text}")
        if end > high:
            raise CronError(f"End of range ({end}) above maximum ({high}): {text}")
        if start > end:
            raise CronError(f"Beginning of range ({start}) beyond end of range ({end}): {text}")


def parse(spec, five_fields_ok=False):
    """Raises CronError (with robfig's wording where it has one) unless valid."""
    spec = (spec or "").strip()
    if spec.startswith("@"):
        if spec in _DESCRIPTORS:
            return
        if spec.startswith("@every "):
            if not _DURATION.match(spec[7:].strip()):
                raise CronError(f"Failed to parse duration {spec}: time: invalid duration {spec[7:]!r}")
            return
        raise CronError(f"Unrecognized descriptor: {spec}")
    fields = spec.split()
    if len(fields) not in (5, 6):
        raise CronError(f"Expected 5 to 6 fields, found {len(fields)}: {spec}")
    if len(fields) == 5 and not five_fields_ok:
        raise CronError(f"Expected 6 fields (seconds first), found 5: {spec}. KFP reads a five-field cron "
                        f"seconds first too, so this one would run at the wrong times; write six fields, "
                        f"e.g. '0 {spec}'")
    for text, (name, low, high, names) in zip(fields, _BOUNDS):
        _field(text, name, low, high, names, name in ("day of month", "day of week"))
