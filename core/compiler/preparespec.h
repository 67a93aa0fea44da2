// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "compiler/lower.h"
#include "ir/pipelinespec.h"
#include "model/pipeline.h"
#include "util/result.h"
#include "validate/problem.h"

#include <map>
#include <string>
#include <vector>

namespace pw {

// The one path from an edited pipeline to IR, shared by `compile`, runs on
// every backend and the studio's preview: parameter values as typed become
// the parameters' defaults (in `pipeline`), the pipeline is validated, then
// lowered. Every problem found (warnings too) is added to `problems` with the
// pipeline's file filled in; an error stops it and comes back as the result,
// naming every error (one per line).
Result<ir::PipelineSpec> prepareSpec(Pipeline &pipeline, const std::map<std::string, std::string> &values,
                                     const LowerOptions &options, std::vector<Problem> &problems);

} // namespace pw
