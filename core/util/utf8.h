// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pipewright_export.h"

#include "util/result.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pw {

// Text that reaches Pipewright (files, arguments, task output) must be UTF-8,
// as KFP's loaders require: the JSON writers cannot encode anything else, and
// copying stray bytes into a workflow only moves the failure to the cluster.

// The offset of the first byte that is not part of well-formed UTF-8
// (overlong forms, surrogates and code points above U+10FFFF included).
PW_EXPORT std::optional<std::size_t> firstInvalidUtf8(std::string_view text);

// Where a file's text stops being UTF-8, located by line and column, or ok.
PW_EXPORT Result<bool> checkUtf8File(std::string_view text, const std::string &file);

// "'x' is not UTF-8 text (byte 0xFF at offset 2)" for a value named `what`.
PW_EXPORT std::string notUtf8Message(std::string_view text, std::size_t offset, const std::string &what);

} // namespace pw
