// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <nlohmann/json.hpp>

namespace pw::serve {

// A run as `pipewright show --json` prints it, with the backend it is on.
nlohmann::json runDetailJson(const RunGraph &run, const std::string &backend);
// A row of `pipewright runs --json`: the run without tasks, artifacts, metrics.
nlohmann::json runSummaryJson(const RunGraph &run, const std::string &backend);

} // namespace pw::serve
