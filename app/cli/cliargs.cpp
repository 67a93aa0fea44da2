// SPDX-License-Identifier: Apache-2.0
#include "cliargs.h"

#include <algorithm>

namespace pw::cli {

Args::Args(int argc, char **argv, int first, const std::vector<std::string> &valueOptions,
           const std::vector<std::string> &flags)
{
    auto known = [](const std::vector<std::string> &list, const std::string &s) {
        return std::find(list.begin(), list.end(), s) != list.end();
    };
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.size() < 2 || a[0] != '-' || a == "-") {
            m_positionals.push_back(a);
            continue;
        }
        std::string value;
        bool inlineValue = false;
        if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
            value = a.substr(eq + 1);
            a = a.substr(0, eq);
            inlineValue = true;
        }
        if (known(flags, a)) {
            m_flags.push_back(a);
        } else if (known(valueOptions, a)) {
            if (!inlineValue) {
                if (i + 1 >= argc) {
                    m_error = "option " + a + " needs a value";
                    return;
                }
                value = argv[++i];
            }
            m_values.emplace(a, value);
        } else {
            m_error = "unknown option " + a;
            return;
        }
    }
}

std::optional<std::string> Args::value(const std::string &name) const
{
    auto it = m_values.find(name);
    if (it == m_values.end())
        return std::nullopt;
    return it->second;
}

std::vector<std::string> Args::values(const std::string &name) const
{
    std::vector<std::string> out;
    auto [b, e] = m_values.equal_range(name);
    for (auto it = b; it != e; ++it)
        out.push_back(it->second);
    return out;
}

bool Args::flag(const std::string &name) const
{
    return std::find(m_flags.begin(), m_flags.end(), name) != m_flags.end();
}

} // namespace pw::cli
