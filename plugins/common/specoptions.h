// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/pipelinespec.h"

namespace pw {

// The spec with caching turned off task by task when `cache` is false, as
// the KFP SDK's enable_caching=False does (KFP and Vertex read it so).
ir::PipelineSpec withCaching(ir::PipelineSpec spec, bool cache);

} // namespace pw
