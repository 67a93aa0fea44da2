// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/taskcontext.h"
#include "report/outputindex.h"

#include <map>
#include <string>
#include <vector>

namespace pw {

// A local task's outputs through report's indexOutputs: contents read from
// the run directory, relative visualization sources from `workDir`. Only
// files that really lie inside the run directory (under `runsDir`) of the
// run that wrote them are read: not a symbolic link out, not a source such
// as /etc/hostname.
IndexedOutputs indexOutputs(const std::string &taskId,
                            const std::map<std::string, std::vector<ArtifactValue>> &outputs,
                            const std::string &workDir, const std::string &runsDir);

} // namespace pw
