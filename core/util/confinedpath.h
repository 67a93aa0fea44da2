// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pipewright_export.h"

#include "util/result.h"

#include <string>

namespace pw {

// `path` with every symbolic link in it resolved (a missing tail is kept as
// written), when that lies inside `root` (resolved the same way); otherwise
// an error that names the path and where it really leads. Files a task wrote
// are read, and paths given to a task are created, only through this, so a
// symbolic link cannot make the engine read or write outside a run.
PW_EXPORT Result<std::string> resolveInside(const std::string &root, const std::string &path);

} // namespace pw
