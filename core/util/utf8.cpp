// SPDX-License-Identifier: Apache-2.0
#include "util/utf8.h"

#include <cstdio>

namespace pw {

namespace {

// How many continuation bytes follow a lead byte and the smallest code point
// it may encode (anything below is an overlong form); 0 when not a lead byte.
struct Lead {
    int extra = -1;
    char32_t minimum = 0;
    char32_t bits = 0;
};

Lead lead(unsigned char c)
{
    if (c < 0x80)
        return {0, 0, c};
    if ((c & 0xE0) == 0xC0)
        return {1, 0x80, static_cast<char32_t>(c & 0x1F)};
    if ((c & 0xF0) == 0xE0)
        return {2, 0x800, static_cast<char32_t>(c & 0x0F)};
    if ((c & 0xF8) == 0xF0)
        return {3, 0x10000, static_cast<char32_t>(c & 0x07)};
    return {};
}

} // namespace

std::optional<std::size_t> firstInvalidUtf8(std::string_view text)
{
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        const Lead l = lead(c);
        if (l.extra < 0 || i + static_cast<std::size_t>(l.extra) >= n)
            return i;
        char32_t cp = l.bits;
        for (int k = 1; k <= l.extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            if ((next & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (next & 0x3F);
        }
        if (cp < l.minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += static_cast<std::size_t>(l.extra) + 1;
    }
    return std::nullopt;
}

std::string notUtf8Message(std::string_view text, std::size_t offset, const std::string &what)
{
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[offset]));
    return what + " is not UTF-8 text (byte " + byte + " at offset " + std::to_string(offset) + ")";
}

Result<bool> checkUtf8File(std::string_view text, const std::string &file)
{
    const auto bad = firstInvalidUtf8(text);
    if (!bad)
        return true;
    int line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < *bad; ++i)
        if (text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[*bad]));
    Error e{std::string("the file is not UTF-8 text: byte ") + byte +
                " cannot start or continue a character (save the file as UTF-8)",
            {}};
    e.where.file = file;
    e.where.line = line;
    e.where.column = static_cast<int>(*bad - lineStart) + 1;
    return e;
}

} // namespace pw
