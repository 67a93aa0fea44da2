// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"

namespace pw {

// KFP has no placeholder for "the run's creation time as %Y%m%d in
// Asia/Tokyo". For targets that cannot format times natively, every such
// argument is rewired to the output of a small helper task that formats
// {{$.pipeline_job_create_time_utc}} when the run starts. Returns true when
// anything was added.
bool addRunTimeHelpers(Pipeline &pipeline);

inline constexpr const char *kRunTimeHelperComponent = "pipewright-format-run-time";

} // namespace pw
