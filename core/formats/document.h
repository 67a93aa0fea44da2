// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}

namespace pw {

// The *.pipewright.yaml document (`pipewright: 1`). Stable key order; layout
// in its own section; components embedded or referenced by path/URL with a
// sha256 pin. `baseDir` resolves relative component paths.
Result<Pipeline> readDocument(std::string_view text, const std::string &fileName);
Result<Pipeline> readDocumentFile(const std::string &path);
// The same for YAML the caller has already parsed (so a file is parsed once).
Result<Pipeline> readDocument(const std::vector<YAML::Node> &docs, const std::string &fileName);
std::string writeDocument(const Pipeline &pipeline);

constexpr int kDocumentVersion = 1;

} // namespace pw
