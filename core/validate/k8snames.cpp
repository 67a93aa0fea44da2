// SPDX-License-Identifier: Apache-2.0
#include "validate/rules.h"
#include "validate/validator.h"

namespace pw {

namespace {
bool isLowerAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool isAlnum(char c)
{
    return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
}
char toLowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

// Label names and values share this shape: alphanumeric ends, [-_.] inside.
bool isQualifiedPart(std::string_view s, std::size_t maxLength)
{
    if (s.empty() || s.size() > maxLength || !isAlnum(s.front()) || !isAlnum(s.back()))
        return false;
    for (char c : s) {
        if (!isAlnum(c) && c != '-' && c != '_' && c != '.')
            return false;
    }
    return true;
}
} // namespace

// Matches the KFP SDK: lower-case, every run of characters outside [-0-9a-z]
// becomes one '-', runs of '-' collapse, and leading/trailing '-' go. Bytes of
// a multi-byte UTF-8 character form one run, so they turn into a single '-'
// just as Python's regex does on the decoded character.
std::string sanitizeK8sName(std::string_view name)
{
    std::string out;
    out.reserve(name.size());
    for (char raw : name) {
        const char c = toLowerAscii(raw);
        const bool keep = isLowerAlnum(c) || c == '-';
        const char next = keep ? c : '-';
        if (next == '-' && (out.empty() || out.back() == '-'))
            continue; // collapses runs and drops the leading dash in one go
        out += next;
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out;
}

bool isValidK8sName(std::string_view name)
{
    if (name.empty() || name.size() > 63 || !isLowerAlnum(name.front()) || !isLowerAlnum(name.back()))
        return false;
    for (char c : name) {
        if (!isLowerAlnum(c) && c != '-')
            return false;
    }
    return true;
}

bool isValidDnsSubdomain(std::string_view name)
{
    if (name.empty() || name.size() > 253)
        return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t dot = name.find('.', start);
        const std::string_view label =
            name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        // Subdomain labels follow the label rules except for the 63 limit,
        // which only applies to the whole name here.
        if (label.empty() || !isLowerAlnum(label.front()) || !isLowerAlnum(label.back()))
            return false;
        for (char c : label) {
            if (!isLowerAlnum(c) && c != '-')
                return false;
        }
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    return true;
}

bool isValidLabelKey(std::string_view key)
{
    const std::size_t slash = key.find('/');
    if (slash == std::string_view::npos)
        return isQualifiedPart(key, 63);
    const std::string_view prefix = key.substr(0, slash);
    return isValidDnsSubdomain(prefix) && isQualifiedPart(key.substr(slash + 1), 63);
}

bool isValidLabelValue(std::string_view value)
{
    return value.empty() || isQualifiedPart(value, 63);
}

} // namespace pw
