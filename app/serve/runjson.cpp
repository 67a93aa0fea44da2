// SPDX-License-Identifier: Apache-2.0
#include "runjson.h"

namespace pw::serve {

nlohmann::json runDetailJson(const RunGraph &run, const std::string &backend)
{
    nlohmann::json j = toJson(run);
    if (!j.contains("backend"))
        j["backend"] = backend;
    return j;
}

nlohmann::json runSummaryJson(const RunGraph &run, const std::string &backend)
{
    nlohmann::json j = runDetailJson(run, backend);
    j.erase("tasks");
    j.erase("artifacts");
    j.erase("metrics");
    return j;
}

} // namespace pw::serve
