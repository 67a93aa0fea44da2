// SPDX-License-Identifier: Apache-2.0
#include "util/processidentity.h"

#include <fstream>
#include <sstream>

#include <unistd.h>

namespace pw {

std::string processStartToken(long pid)
{
    if (pid <= 0)
        return {};
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text))
        return {};
    // The command name (field 2) may hold spaces and parentheses; fields
    // after the last ')' are plain numbers. Start time is field 22.
    auto close = text.rfind(')');
    if (close == std::string::npos)
        return {};
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
        if (i == 3 && field == "Z")
            return {}; // a zombie has finished
        if (i == 22)
            return field;
    }
    return {};
}

bool processMatches(long pid, const std::string &startToken)
{
    return !startToken.empty() && processStartToken(pid) == startToken;
}

long currentPid() { return static_cast<long>(::getpid()); }

} // namespace pw
