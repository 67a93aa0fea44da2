// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/pipelinespec.h"
#include "model/pipeline.h"
#include "util/result.h"

namespace pw {

// IR -> model (import): group sub-DAGs become groups, pipelinechannel inputs
// are traced back to their sources, executors become components.
// lowerPipeline(raisePipelineSpec(x)) equals x under KFP's comparison rules.
Result<Pipeline> raisePipelineSpec(const ir::PipelineSpec &spec, const std::string &fileName = {});

} // namespace pw
