// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <QDateTime>

#include <string>

namespace pw {

// A cron expression with six fields, seconds first (KFP, Quartz-like):
// "0 0 6 * * *". Five-field input ("0 6 * * *") gets seconds 0.
struct CronExpression {
    std::string seconds, minutes, hours, dayOfMonth, month, dayOfWeek;

    static Result<CronExpression> parse(const std::string &text);
    std::string sixFields() const;
    std::string fiveFields() const; // drops the seconds
};

// A schedule in a time zone, moved to UTC for a server that has no time-zone
// field (KFP): minutes, hours and, when the day changes, the day of the week
// move with the zone's offset. Only what can be moved exactly is moved: the
// hour and minute fields must be numbers or lists of numbers, and a day of
// the month cannot roll back (an error says to use UTC there). When the zone
// keeps daylight saving time the offset of `at` is used and `note` says from
// when the UTC schedule runs an hour off.
struct ZonedCron {
    CronExpression utc;
    std::string note; // "06:00 in Asia/Tokyo is 21:00 UTC the day before: ..."
};
Result<ZonedCron> cronInUtc(const CronExpression &cron, const std::string &timeZone, const QDateTime &at);

} // namespace pw
