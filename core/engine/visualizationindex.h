// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/taskcontext.h"
#include "report/outputindex.h"

#include <map>
#include <string>
#include <vector>

namespace pw {

// A local task's outputs through report's indexOutputs: contents read from
// the run directory, relative visualization sources from `workDir`.
IndexedOutputs indexOutputs(const std::string &taskId, const std::map<std::string, std::vector<ArtifactValue>> &outputs,
                            const std::string &workDir);

} // namespace pw
