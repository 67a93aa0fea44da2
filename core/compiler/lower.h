// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/pipelinespec.h"
#include "model/pipeline.h"
#include "util/result.h"

namespace pw {

struct LowerOptions {
    // Run-time values with a format or time zone: KFP has no placeholder for
    // them, so PipelineSpec gets a small helper step that formats
    // {{$.pipeline_job_create_time_utc}}. Targets that can express them
    // natively (Argo) ask for the pipewright placeholder instead:
    // {{$.pipewright.run_time['<format>','<zone>']}}.
    bool nativeRunTimeFormatting = false;
    std::string sdkVersion; // written to sdkVersion; default "pipewright-<version>"
};

// Model -> IR, following the KFP 2.x compiler's conventions (component and
// executor names, pipelinechannel inputs for groups, trigger conditions,
// dependentTasks), so the output matches what the SDK emits.
Result<ir::PipelineSpec> lowerPipeline(const Pipeline &pipeline, const LowerOptions &options = {});

} // namespace pw
