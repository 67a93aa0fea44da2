// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/taskcontext.h"
#include "ir/pipelinespec.h"
#include "util/result.h"

#include <map>
#include <string>
#include <vector>

namespace pw {

struct TaskOutputs {
    nlohmann::json parameters = nlohmann::json::object();
    std::map<std::string, std::vector<ArtifactValue>> artifacts;

    nlohmann::json toJson() const;
    static TaskOutputs fromJson(const nlohmann::json &j);
};

// `root`/`name` for an output named by a component. Names come from files
// that anyone may write, so one that leaves `root` ("../../x", "/etc/x") is
// refused rather than trusted.
Result<std::string> pathInside(const std::string &root, const std::string &name);

// After a task exits 0: output parameters from their files (typed by the
// component's interface), artifacts where the task wrote them, and anything
// the task reported in executor_output.json (KFP v2 lightweight components).
Result<TaskOutputs> collectOutputs(const ir::ComponentSpec &component, const TaskContext &ctx);

// A parameter's text (an output file, a --param) as the JSON its KFP type holds.
Result<nlohmann::json> typedParameter(const std::string &text, const std::string &parameterType);

} // namespace pw
