// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pw::cli {

// argv after the command word: positionals, `--name value` options (repeatable)
// and bare flags. Options are declared so that a typo is an error, not a positional.
class Args final {
public:
    Args(int argc, char **argv, int first, const std::vector<std::string> &valueOptions,
         const std::vector<std::string> &flags);

    bool ok() const { return m_error.empty(); }
    const std::string &error() const { return m_error; }
    const std::vector<std::string> &positionals() const { return m_positionals; }
    std::optional<std::string> value(const std::string &name) const;
    std::vector<std::string> values(const std::string &name) const;
    bool flag(const std::string &name) const;

private:
    std::vector<std::string> m_positionals;
    std::multimap<std::string, std::string> m_values;
    std::vector<std::string> m_flags;
    std::string m_error;
};

} // namespace pw::cli
