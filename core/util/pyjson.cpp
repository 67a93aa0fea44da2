// SPDX-License-Identifier: Apache-2.0
#include "util/pyjson.h"

#include <cstdio>

namespace pw {

namespace {

void appendString(std::string &out, const std::string &s)
{
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        case '\b': out += "\\b"; continue;
        case '\f': out += "\\f"; continue;
        default: break;
        }
        if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            continue;
        }
        if (c < 0x80) {
            out += static_cast<char>(c);
            continue;
        }
        // Decode UTF-8 and write \uXXXX (surrogate pairs above the BMP), as ensure_ascii does.
        unsigned cp = 0;
        int extra = 0;
        if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; extra = 1; }
        else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; extra = 2; }
        else { cp = c & 0x07; extra = 3; }
        for (int k = 0; k < extra && i + 1 < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[++i]) & 0x3F);
        char buf[16];
        if (cp >= 0x10000) {
            cp -= 0x10000;
            std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
        } else {
            std::snprintf(buf, sizeof buf, "\\u%04x", cp);
        }
        out += buf;
    }
    out += '"';
}

void append(std::string &out, const nlohmann::json &v)
{
    switch (v.type()) {
    case nlohmann::json::value_t::object: {
        out += '{';
        bool first = true;
        for (const auto &[k, item] : v.items()) {
            if (!first)
                out += ", ";
            first = false;
            appendString(out, k);
            out += ": ";
            append(out, item);
        }
        out += '}';
        break;
    }
    case nlohmann::json::value_t::array: {
        out += '[';
        bool first = true;
        for (const auto &item : v) {
            if (!first)
                out += ", ";
            first = false;
            append(out, item);
        }
        out += ']';
        break;
    }
    case nlohmann::json::value_t::string: appendString(out, v.get_ref<const std::string &>()); break;
    case nlohmann::json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case nlohmann::json::value_t::null: out += "null"; break;
    default: out += v.dump(); break; // numbers: nlohmann writes the shortest round-trip form, as Python does
    }
}

} // namespace

std::string pythonJsonDumps(const nlohmann::json &value)
{
    std::string out;
    append(out, value);
    return out;
}

} // namespace pw
