// SPDX-License-Identifier: Apache-2.0
#include "util/duration.h"

#include <cctype>
#include <string>

namespace pw {

std::optional<std::int64_t> parseDurationMs(std::string_view text)
{
    double total = 0;
    std::size_t pos = 0;
    if (text.empty())
        return 0;
    while (pos < text.size()) {
        const std::size_t start = pos;
        while (pos < text.size() && (std::isdigit(static_cast<unsigned char>(text[pos])) || text[pos] == '.'))
            ++pos;
        if (pos == start)
            return std::nullopt;
        double number = 0;
        try {
            number = std::stod(std::string(text.substr(start, pos - start)));
        } catch (const std::exception &) {
            return std::nullopt;
        }
        const std::size_t unitStart = pos;
        while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos])))
            ++pos;
        const std::string_view unit = text.substr(unitStart, pos - unitStart);
        double scale = 0;
        if (unit == "ms")
            scale = 1;
        else if (unit == "s" || unit.empty())
            scale = 1000;
        else if (unit == "m")
            scale = 60000;
        else if (unit == "h")
            scale = 3600000;
        else
            return std::nullopt;
        total += number * scale;
    }
    return static_cast<std::int64_t>(total);
}

std::string protobufDuration(const std::string &text)
{
    const auto ms = parseDurationMs(text);
    if (text.empty() || !ms)
        return text;
    std::string seconds = std::to_string(*ms / 1000);
    if (const std::int64_t rest = *ms % 1000; rest != 0) {
        std::string fraction = std::to_string(1000 + rest).substr(1); // three digits
        while (fraction.back() == '0')
            fraction.pop_back();
        seconds += "." + fraction;
    }
    return seconds + "s";
}

} // namespace pw
