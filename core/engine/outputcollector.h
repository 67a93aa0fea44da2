// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/taskcontext.h"
#include "ir/pipelinespec.h"
#include "util/result.h"

#include <cstdint>
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

// An output parameter is text of at most this many bytes (1 MiB), UTF-8 and
// without NUL: it travels in the run store, in JSON and as a command-line
// argument. Larger data belongs in an artifact. A task that writes more fails.
inline constexpr std::uintmax_t kMaxParameterBytes = 1024 * 1024;

// `text` when it can be parameter `name`'s value: no NUL, UTF-8.
Result<std::string> checkParameterText(const std::string &name, std::string text);

// After a task exits 0: output parameters from their files (typed by the
// component's interface), artifacts where the task wrote them, and anything
// the task reported in executor_output.json (KFP v2 lightweight components).
// Files are read only where they really lie inside `runDir` (no symbolic link out).
Result<TaskOutputs> collectOutputs(const ir::ComponentSpec &component, const TaskContext &ctx,
                                   const std::string &runDir);

// A parameter's text (an output file, a --param) as the JSON its KFP type holds.
Result<nlohmann::json> typedParameter(const std::string &text, const std::string &parameterType);

} // namespace pw
