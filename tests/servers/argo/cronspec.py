# SPDX-License-Identifier: Apache-2.0
"""CronWorkflow schedules as Argo reads them: robfig/cron v3's ParseStandard,
five fields "minute hour day-of-month month day-of-week" (no seconds), the
@yearly/@monthly/@weekly/@daily/@midnight/@hourly and @every <duration>
descriptors, an optional TZ= or CRON_TZ= prefix. Errors use robfig's words.
Time zones are IANA names (Go's time.LoadLocation; here zoneinfo)."""
import re
import zoneinfo

_FIELDS = [("minute", 0, 59, None), ("hour", 0, 23, None), ("day of month", 1, 31, None),
           ("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
           ("day of week", 0, 6, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"])]
_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")


class CronError(ValueError):
    pass


def valid_time_zone(name):
    """time.LoadLocation: "" and "UTC"/"Local" are fine, else an IANA name."""
    if name in ("", "UTC", "Local"):
        return True
    if name.startswith("/") or ".." in name:
        return False
    try:
        zoneinfo.ZoneInfo(name)
        return True
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False


def _number(text, names, low):
    if names and text.lower() in names:
        return names.index(text.lower()) + low
    if not re.match(r"^-?[0-9]+$", text):
        raise CronError(f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax')
    value = int(text)
    if value < 0:
        raise CronError(f"negative number ({value}) not allowed: {text}")
    return value


def _field(text, low, high, names):
    for expr in text.split(","):
        range_and_step = expr.split("/")
        if len(range_and_step) > 2:
            raise CronError(f"too many slashes: {expr}")
        low_high = range_and_step[0].split("-")
        if len(low_high) > 2:
            raise CronError(f"too many hyphens: {expr}")
        if low_high[0] in ("*", "?"):
            start, end = low, high
        else:
            start = _number(low_high[0], names, low)
            end = _number(low_high[1], names, low) if len(low_high) == 2 else start
        if len(range_and_step) == 2:
            step = _number(range_and_step[1], None, 0)
            if step == 0:
                raise CronError(f"step of range should be a positive number: {expr}")
        if start < low:
            raise CronError(f"beginning of range ({start}) below minimum ({low}): {expr}")
        if end > high:
            raise CronError(f"end of range ({end}) above maximum ({high}): {expr}")
        if start > end:
            raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")


def parse_standard(spec):
    """Raises CronError unless robfig/cron v3 ParseStandard accepts `spec`."""
    if not spec:
        raise CronError("empty spec string")
    if spec.startswith(("TZ=", "CRON_TZ=")):
        head, _, spec = spec.partition(" ")
        zone = head.split("=", 1)[1]
        if not valid_time_zone(zone):
            raise CronError(f"provided bad location {zone}: unknown time zone {zone}")
        spec = spec.strip()
    if spec.startswith("@"):
        if spec in _DESCRIPTORS:
            return
        if spec.startswith("@every "):
            if not _DURATION.match(spec[7:]):
                raise CronError(f"failed to parse duration {spec}: time: invalid duration \"{spec[7:]}\"")
            return
        raise CronError(f"unrecognized descriptor: {spec}")
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    for text, (_, low, high, names) in zip(fields, _FIELDS):
        _field(text, low, high, names)
