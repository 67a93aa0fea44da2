// SPDX-License-Identifier: Apache-2.0
#include "engine/taskenvironment.h"

#include <algorithm>
#include <set>

namespace pw {

std::vector<std::string> taskEnvironment(const std::vector<std::string> &engineEnvironment)
{
    std::set<std::string> allowed(std::begin(kTaskEnvironmentAllowList), std::end(kTaskEnvironmentAllowList));
    for (const std::string &e : engineEnvironment)
        if (e.rfind("PIPEWRIGHT_PASS_ENV=", 0) == 0) {
            const std::string list = e.substr(e.find('=') + 1);
            std::size_t start = 0;
            while (start <= list.size()) {
                std::size_t end = std::min(list.find(',', start), list.size());
                if (end > start)
                    allowed.insert(list.substr(start, end - start));
                start = end + 1;
            }
        }
    std::vector<std::string> out;
    for (const std::string &e : engineEnvironment) {
        const std::string name = e.substr(0, e.find('='));
        if (allowed.count(name) || name.rfind("LC_", 0) == 0)
            out.push_back(e);
    }
    return out;
}

} // namespace pw
