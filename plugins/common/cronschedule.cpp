// SPDX-License-Identifier: Apache-2.0
#include "cronschedule.h"

#include <QTimeZone>

#include <algorithm>
#include <set>
#include <sstream>
#include <vector>

namespace pw {

namespace {

std::vector<std::string> split(const std::string &text, char sep)
{
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, sep))
        parts.push_back(part);
    return parts;
}

bool isNumber(const std::string &s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "5", "5,17": the numbers, or nothing when the field is anything else.
std::optional<std::vector<int>> numbers(const std::string &field, int low, int high)
{
    std::vector<int> out;
    for (const std::string &p : split(field, ',')) {
        if (!isNumber(p))
            return std::nullopt;
        const int v = std::stoi(p);
        if (v < low || v > high)
            return std::nullopt;
        out.push_back(v);
    }
    return out.empty() ? std::nullopt : std::optional(out);
}

std::string join(const std::set<int> &values)
{
    std::string out;
    for (int v : values) {
        if (!out.empty())
            out += ',';
        out += std::to_string(v);
    }
    return out;
}

const char *kDays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

// Day-of-week field -> numbers 0..6 (names and 7 allowed), or nothing.
std::optional<std::vector<int>> weekdays(const std::string &field)
{
    std::vector<int> out;
    for (std::string p : split(field, ',')) {
        std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return char(std::toupper(c)); });
        const auto named = std::find(std::begin(kDays), std::end(kDays), p);
        if (named != std::end(kDays)) {
            out.push_back(int(named - std::begin(kDays)));
        } else if (isNumber(p) && std::stoi(p) <= 7) {
            out.push_back(std::stoi(p) % 7);
        } else {
            return std::nullopt;
        }
    }
    return out;
}

std::string twoDigits(int v)
{
    std::string s = std::to_string(v);
    return s.size() < 2 ? '0' + s : s;
}

} // namespace

Result<CronExpression> CronExpression::parse(const std::string &text)
{
    std::vector<std::string> fields;
    for (const std::string &f : split(text, ' '))
        if (!f.empty())
            fields.push_back(f);
    if (fields.size() == 5)
        fields.insert(fields.begin(), "0");
    if (fields.size() != 6)
        return Error{"cron '" + text + "' has " + std::to_string(fields.size()) +
                         " fields; expected five (minute hour day month weekday) or six (seconds first)",
                     {}};
    return CronExpression{fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]};
}

std::string CronExpression::sixFields() const
{
    return seconds + " " + fiveFields();
}

std::string CronExpression::fiveFields() const
{
    return minutes + " " + hours + " " + dayOfMonth + " " + month + " " + dayOfWeek;
}

Result<ZonedCron> cronInUtc(const CronExpression &cron, const std::string &timeZone, const QDateTime &at)
{
    if (timeZone.empty() || timeZone == "UTC" || timeZone == "Etc/UTC")
        return ZonedCron{cron, {}};
    const QTimeZone zone(QByteArray::fromStdString(timeZone));
    if (!zone.isValid())
        return Error{"unknown time zone '" + timeZone + "' (an IANA name such as Asia/Tokyo)", {}};
    const auto minutes = numbers(cron.minutes, 0, 59);
    const auto hours = numbers(cron.hours, 0, 23);
    if (!minutes || !hours)
        return Error{"cron '" + cron.fiveFields() + "' in " + timeZone +
                         ": only schedules whose minute and hour are fixed numbers can be moved to UTC "
                         "(the server has no time zone); write the schedule in UTC instead",
                     {}};
    const int offsetMin = zone.offsetFromUtc(at) / 60;
    // Every (hour, minute) moves by the offset; the day may change with it.
    std::set<int> utcMinutes, utcHours, dayShifts;
    for (int h : *hours)
        for (int m : *minutes) {
            int total = h * 60 + m - offsetMin;
            int shift = 0;
            while (total < 0) {
                total += 24 * 60;
                --shift;
            }
            while (total >= 24 * 60) {
                total -= 24 * 60;
                ++shift;
            }
            utcHours.insert(total / 60);
            utcMinutes.insert(total % 60);
            dayShifts.insert(shift);
        }
    if (utcMinutes.size() * utcHours.size() != minutes->size() * hours->size() || dayShifts.size() != 1)
        return Error{"cron '" + cron.fiveFields() + "' in " + timeZone +
                         " does not map to one UTC cron line (its times fall on different UTC days or "
                         "minutes); split it or write it in UTC",
                     {}};
    const int shift = *dayShifts.begin();
    ZonedCron out{cron, {}};
    out.utc.minutes = join(utcMinutes);
    out.utc.hours = join(utcHours);
    if (shift != 0) {
        if (cron.dayOfMonth != "*" && cron.dayOfMonth != "?")
            return Error{"cron '" + cron.fiveFields() + "' in " + timeZone + " runs on days of the month at a time "
                             "that is on another day in UTC; write it in UTC",
                         {}};
        if (cron.dayOfWeek != "*" && cron.dayOfWeek != "?") {
            const auto days = weekdays(cron.dayOfWeek);
            if (!days)
                return Error{"cron '" + cron.fiveFields() + "' in " + timeZone +
                                 ": the day-of-week field must be days or lists of days to move it to UTC",
                             {}};
            std::set<int> moved;
            for (int d : *days)
                moved.insert(((d + shift) % 7 + 7) % 7);
            out.utc.dayOfWeek = join(moved);
        }
    }
    // What the user should see: the first time in both zones, and the DST caveat.
    const int firstH = hours->front(), firstM = minutes->front();
    int utcTotal = ((firstH * 60 + firstM - offsetMin) % (24 * 60) + 24 * 60) % (24 * 60);
    out.note = twoDigits(firstH) + ":" + twoDigits(firstM) + " in " + timeZone + " is " + twoDigits(utcTotal / 60) +
               ":" + twoDigits(utcTotal % 60) + " UTC" +
               (shift < 0 ? " the day before" : shift > 0 ? " the day after" : "") + ": cron '" +
               out.utc.sixFields() + "' (UTC)";
    const QTimeZone::OffsetData next = zone.nextTransition(at);
    if (zone.hasTransitions() && next.atUtc.isValid() && next.atUtc < at.addDays(366) &&
        next.offsetFromUtc != zone.offsetFromUtc(at)) {
        out.note += "; " + timeZone + " changes its offset on " +
                    next.atUtc.toString(Qt::ISODate).toStdString() +
                    ", from then the run is an hour off until you schedule it again";
    }
    return out;
}

} // namespace pw
