// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "util/result.h"

#include <string>

namespace pw {

enum class CompileTarget { PipelineSpec, Argo, Vertex };

// Validated pipeline -> the text of one target, with the same choices the CLI
// makes (Argo gets native run-time formatting and the pipeline's Kubernetes
// service account; Vertex gets the display name, labels and pipeline root).
// Validation errors come back as the first error, located.
Result<std::string> compileToText(const Pipeline &pipeline, CompileTarget target);

} // namespace pw
