// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <string>
#include <string_view>

namespace pw {

// Writes `text` to `path` so that a reader never sees half a file: a regular
// file (or a new path) is written beside the target and renamed over it,
// keeping the target's permissions (`mode` for a new file). Anything else
// (a device such as /dev/null, a FIFO) is written in place, never replaced;
// a symlink is followed to the file it names. The error names the path.
Result<bool> writeFileAtomically(const std::string &path, std::string_view text, unsigned mode = 0644);

} // namespace pw
