// SPDX-License-Identifier: Apache-2.0
#include "validate/rules.h"

#include <QFile>
#include <QString>
#include <QtGlobal>

#include <array>
#include <cstdlib>

namespace pw {

namespace {
bool isZoneChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '_' || c == '-' || c == '+';
}

bool isSafeZoneName(std::string_view name)
{
    if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/')
        return false;
    for (char c : name) {
        if (!isZoneChar(c))
            return false;
    }
    // The tz directory also holds posix/ and right/ mirrors and data files
    // (zone.tab, tzdata.zi) that are not zone names a user should write.
    return name.find("//") == std::string_view::npos && !name.starts_with("posix/") &&
           !name.starts_with("right/") && name != "posixrules" && name != "localtime";
}

// Used only where the machine has no tz database (minimal containers): the
// area prefixes IANA uses, so a plausible name passes and a typo like
// "Asia-Tokyo" still fails.
bool matchesFallbackZone(std::string_view name)
{
    static const std::array<std::string_view, 8> singles = {"UTC", "GMT",  "Etc/UTC",   "Etc/GMT",
                                                            "UCT", "Zulu", "Universal", "Greenwich"};
    for (auto s : singles) {
        if (name == s)
            return true;
    }
    static const std::array<std::string_view, 11> areas = {"Africa/", "America/",  "Antarctica/", "Arctic/",
                                                           "Asia/",   "Atlantic/", "Australia/",  "Europe/",
                                                           "Indian/", "Pacific/",  "Etc/"};
    for (auto a : areas) {
        if (name.starts_with(a) && name.size() > a.size())
            return true;
    }
    return false;
}

QString zoneInfoDir()
{
    const QByteArray env = qgetenv("TZDIR");
    return env.isEmpty() ? QStringLiteral("/usr/share/zoneinfo") : QString::fromLocal8Bit(env);
}
} // namespace

bool isKnownTimeZone(std::string_view name)
{
    if (name == "UTC")
        return true;
    if (!isSafeZoneName(name))
        return false;
    const QString dir = zoneInfoDir();
    if (!QFile::exists(dir + QStringLiteral("/UTC")) && !QFile::exists(dir + QStringLiteral("/Etc/UTC")))
        return matchesFallbackZone(name);
    QFile file(dir + '/' + QString::fromUtf8(name.data(), qsizetype(name.size())));
    if (!file.open(QIODevice::ReadOnly))
        return false; // also rejects directories such as "Asia"
    // Every compiled zone file starts with this magic; anything else in the
    // directory (tables, leap-second lists) is not a zone.
    return file.read(4) == "TZif";
}

std::string checkStrftimeFormat(std::string_view format)
{
    // Conversions that C/POSIX strftime and Python's datetime both expand.
    static constexpr std::string_view known = "aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%f+";
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%')
            continue;
        std::size_t j = i + 1;
        while (j < format.size() && (format[j] == '_' || format[j] == '-' || format[j] == '0' ||
                                     format[j] == '^' || format[j] == '#'))
            ++j; // GNU flags
        while (j < format.size() && format[j] >= '0' && format[j] <= '9')
            ++j; // field width
        if (j < format.size() && (format[j] == 'E' || format[j] == 'O'))
            ++j; // locale modifiers
        if (j >= format.size())
            return "the format ends with an incomplete '%' conversion";
        if (known.find(format[j]) == std::string_view::npos)
            return "unknown conversion '%" + std::string(1, format[j]) + "'";
        i = j;
    }
    return {};
}

std::optional<long long> parseDurationSeconds(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    long long total = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        long long amount = 0;
        const std::size_t digitsStart = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (amount > 1'000'000'000LL)
                return std::nullopt;
            amount = amount * 10 + (text[pos] - '0');
            ++pos;
        }
        if (pos == digitsStart || pos >= text.size())
            return std::nullopt; // a number needs a unit after it
        long long unit = 0;
        switch (text[pos]) {
        case 'd':
            unit = 86400;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'm':
            unit = 60;
            break;
        case 's':
            unit = 1;
            break;
        default:
            return std::nullopt;
        }
        ++pos;
        total += amount * unit;
    }
    return total;
}

} // namespace pw
