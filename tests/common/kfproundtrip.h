// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <string>
#include <vector>

namespace pw::test {

// Imports the PipelineSpec file at `path` into a pipeline model and lowers
// it back (keeping its sdkVersion); the differences from the file under
// KFP's comparison rules (kfpDiff), or one line saying which step failed.
std::vector<std::string> importAndLowerDiffs(const QString &path);

} // namespace pw::test
