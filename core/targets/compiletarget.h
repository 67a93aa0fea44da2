// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "util/result.h"
#include "validate/problem.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pw {

enum class CompileTarget { PipelineSpec, Argo, Vertex };

struct CompileOptions {
    std::map<std::string, std::string> parameters; // NAME -> value as typed (`--param`)
    std::optional<std::string> serviceAccount;     // instead of the pipeline's
    std::optional<std::string> outputDir;          // Vertex gcsOutputDirectory; default: the pipeline root
};

// Pipeline -> the text of one target (through prepareSpec): Argo gets native
// run-time formatting and the pipeline's Kubernetes service account; Vertex
// gets the display name, labels and pipeline root. Every problem validation
// finds goes to `problems` when given; the first error comes back, located.
Result<std::string> compileToText(const Pipeline &pipeline, CompileTarget target, const CompileOptions &options = {},
                                  std::vector<Problem> *problems = nullptr);

} // namespace pw
