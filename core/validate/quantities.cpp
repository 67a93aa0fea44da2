// SPDX-License-Identifier: Apache-2.0
#include "validate/rules.h"
#include "validate/validator.h"

#include <array>
#include <cmath>
#include <utility>

namespace pw {

namespace {
bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Reads [digits][.digits] (at least one digit overall) as a value.
std::optional<long double> readNumber(std::string_view s, std::size_t &pos)
{
    long double value = 0;
    bool anyDigit = false;
    while (pos < s.size() && isDigit(s[pos])) {
        value = value * 10 + (s[pos] - '0');
        anyDigit = true;
        ++pos;
    }
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        long double scale = 0.1L;
        while (pos < s.size() && isDigit(s[pos])) {
            value += (s[pos] - '0') * scale;
            scale /= 10;
            anyDigit = true;
            ++pos;
        }
    }
    if (!anyDigit)
        return std::nullopt;
    return value;
}

std::optional<long double> suffixMultiplier(std::string_view suffix)
{
    // Binary suffixes first: "Mi" must not be read as "M" followed by junk.
    static const std::array<std::pair<std::string_view, int>, 6> binary = {
        {{"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}, {"Pi", 50}, {"Ei", 60}}};
    for (const auto &[name, shift] : binary) {
        if (suffix == name)
            return std::ldexp(1.0L, shift);
    }
    static const std::array<std::pair<std::string_view, int>, 9> decimal = {
        {{"n", -9}, {"u", -6}, {"m", -3}, {"", 0}, {"k", 3}, {"M", 6}, {"G", 9}, {"T", 12}, {"P", 15}}};
    for (const auto &[name, exp10] : decimal) {
        if (suffix == name)
            return std::pow(10.0L, exp10);
    }
    if (suffix == "E")
        return std::pow(10.0L, 18);
    // Decimal exponent: e or E followed by a signed integer ("1e3", "5E-2").
    if (suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E')) {
        std::size_t pos = 1;
        bool negative = false;
        if (suffix[pos] == '+' || suffix[pos] == '-') {
            negative = suffix[pos] == '-';
            ++pos;
        }
        if (pos >= suffix.size() || suffix.size() - pos > 4)
            return std::nullopt;
        int exponent = 0;
        for (; pos < suffix.size(); ++pos) {
            if (!isDigit(suffix[pos]))
                return std::nullopt;
            exponent = exponent * 10 + (suffix[pos] - '0');
        }
        return std::pow(10.0L, negative ? -exponent : exponent);
    }
    return std::nullopt;
}
} // namespace

std::optional<long double> parseQuantity(std::string_view q)
{
    std::size_t pos = 0;
    bool negative = false;
    if (pos < q.size() && (q[pos] == '+' || q[pos] == '-')) {
        negative = q[pos] == '-';
        ++pos;
    }
    const auto number = readNumber(q, pos);
    if (!number)
        return std::nullopt;
    const auto multiplier = suffixMultiplier(q.substr(pos));
    if (!multiplier)
        return std::nullopt;
    const long double value = *number * *multiplier;
    return negative ? -value : value;
}

bool isValidQuantity(std::string_view quantity)
{
    return parseQuantity(quantity).has_value();
}

} // namespace pw
