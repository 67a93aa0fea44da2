// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <string>
#include <string_view>

namespace pw {

// What an artifact store hands out, as the file inside: Argo archives task
// outputs as .tgz by default, so a gzip stream is inflated and a tar archive
// gives its first regular file. Anything else comes back as it is. Bounded:
// more than `limit` bytes after inflating is an error, never a memory blow-up.
Result<std::string> unpackArtifact(std::string_view bytes, std::size_t limit = 64u << 20);

} // namespace pw
