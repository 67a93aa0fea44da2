// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/taskcontext.h"
#include "ir/pipelinespec.h"

#include <string>

namespace pw {

// sha256 of what decides a task's outputs: the component (interface and
// container) and its resolved inputs. Input artifacts count by content, not
// by path, so a task downstream of a cache hit or of an identical rerun hits too.
std::string cacheKey(const ir::ComponentSpec &component, const ir::ContainerExecutor &container,
                     const TaskContext &inputs);

} // namespace pw
