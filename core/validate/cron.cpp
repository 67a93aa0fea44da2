// SPDX-License-Identifier: Apache-2.0
#include "validate/rules.h"
#include "validate/validator.h"

#include <array>
#include <vector>

namespace pw {

namespace {
struct FieldRule {
    int min;
    int max;
    const std::array<std::string_view, 12> *names; // value min + index; null when none
    bool allowQuestion;                            // '?' = "no specific value"
};

const std::array<std::string_view, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                  "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const std::array<std::string_view, 12> kDays = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char &c : out) {
        if (c >= 'a' && c <= 'z')
            c = char(c - 'a' + 'A');
    }
    return out;
}

std::optional<int> parseValue(std::string_view s, const FieldRule &rule)
{
    if (s.empty())
        return std::nullopt;
    if (rule.names) {
        const std::string u = upper(s);
        for (std::size_t i = 0; i < rule.names->size(); ++i) {
            if (!(*rule.names)[i].empty() && u == (*rule.names)[i])
                return rule.min + int(i);
        }
    }
    if (s.size() > 4)
        return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    if (v < rule.min || v > rule.max)
        return std::nullopt;
    return v;
}

bool isValidTerm(std::string_view term, const FieldRule &rule)
{
    std::string_view range = term;
    const std::size_t slash = term.find('/');
    if (slash != std::string_view::npos) {
        range = term.substr(0, slash);
        const std::string_view step = term.substr(slash + 1);
        if (step.empty() || step.size() > 4)
            return false;
        int n = 0;
        for (char c : step) {
            if (c < '0' || c > '9')
                return false;
            n = n * 10 + (c - '0');
        }
        if (n < 1)
            return false;
    }
    if (range == "*")
        return true;
    if (range == "?")
        return rule.allowQuestion && slash == std::string_view::npos;
    const std::size_t dash = range.find('-');
    if (dash == std::string_view::npos)
        return parseValue(range, rule).has_value();
    const auto lo = parseValue(range.substr(0, dash), rule);
    const auto hi = parseValue(range.substr(dash + 1), rule);
    return lo && hi && *lo <= *hi;
}

bool isValidField(std::string_view field, const FieldRule &rule)
{
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = field.find(',', start);
        const std::string_view term =
            field.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (!isValidTerm(term, rule))
            return false;
        if (comma == std::string_view::npos)
            return true;
        start = comma + 1;
    }
}

std::vector<std::string_view> splitFields(std::string_view s)
{
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t')
            ++i;
        if (i > start)
            out.push_back(s.substr(start, i - start));
    }
    return out;
}
} // namespace

// The dialect of the cron library behind KFP and Argo schedules: 5 fields, or 6
// with seconds first, month/day names, '?' for day fields, and the @ macros.
bool isValidCron(std::string_view expr)
{
    auto fields = splitFields(expr);
    if (fields.empty())
        return false;
    // A leading CRON_TZ=/TZ= picks the zone the schedule is read in.
    for (std::string_view prefix : {std::string_view("CRON_TZ="), std::string_view("TZ=")}) {
        if (fields.front().starts_with(prefix)) {
            if (!isKnownTimeZone(fields.front().substr(prefix.size())))
                return false;
            fields.erase(fields.begin());
            break;
        }
    }
    if (fields.empty())
        return false;
    if (fields.front().starts_with('@')) {
        static const std::array<std::string_view, 7> macros = {"@yearly", "@annually", "@monthly", "@weekly",
                                                               "@daily",  "@midnight", "@hourly"};
        if (fields.size() == 1) {
            for (auto m : macros) {
                if (fields.front() == m)
                    return true;
            }
            return false;
        }
        // @every takes a Go-style duration; days are not a Go unit.
        return fields.size() == 2 && fields[0] == "@every" && fields[1].find('d') == std::string_view::npos &&
               parseDurationSeconds(fields[1]).value_or(0) > 0;
    }
    static const FieldRule second{0, 59, nullptr, false};
    static const FieldRule minute{0, 59, nullptr, false};
    static const FieldRule hour{0, 23, nullptr, false};
    static const FieldRule dom{1, 31, nullptr, true};
    static const FieldRule month{1, 12, &kMonths, false};
    static const FieldRule dow{0, 7, &kDays, true}; // 7 is Sunday too in most crons
    std::vector<const FieldRule *> rules;
    if (fields.size() == 5)
        rules = {&minute, &hour, &dom, &month, &dow};
    else if (fields.size() == 6)
        rules = {&second, &minute, &hour, &dom, &month, &dow};
    else
        return false;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (!isValidField(fields[i], *rules[i]))
            return false;
    }
    return true;
}

} // namespace pw
