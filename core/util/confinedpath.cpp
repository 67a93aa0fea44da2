// SPDX-License-Identifier: Apache-2.0
#include "util/confinedpath.h"

#include <filesystem>

namespace pw {

namespace fs = std::filesystem;

Result<std::string> resolveInside(const std::string &root, const std::string &path)
{
    std::error_code ec;
    const fs::path base = fs::weakly_canonical(root, ec);
    if (ec)
        return Error{"cannot resolve " + root + ": " + ec.message(), {}};
    const fs::path real = fs::weakly_canonical(path, ec);
    if (ec)
        return Error{"cannot resolve " + path + ": " + ec.message(), {}};
    const fs::path inside = real.lexically_relative(base);
    if (inside.empty() || *inside.begin() == "..")
        return Error{path + " leads outside " + root + " (to " + real.string() +
                         ") through a symbolic link; refused",
                     {}};
    return real.string();
}

} // namespace pw
