// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "runs/backend.h"
#include "runs/backendregistry.h"
#include "util/result.h"
#include "validate/problem.h"

#include <map>
#include <string>
#include <vector>

namespace pw {

// How a user wants a pipeline run, as typed (`--param n=3`, a dialog's fields).
struct RunSettings {
    std::map<std::string, std::string> parameters; // NAME -> text; typed by the parameter
    std::string runName;
    bool cache = true;
    std::string experiment;
    std::string serviceAccount;
    std::string pipelineRoot;
    std::string workDir; // where relative paths resolve; empty: the pipeline file's folder
    nlohmann::json options = nlohmann::json::object(); // backend-specific
};

// The one path from a pipeline to a run, for the CLI, the studio and the
// server alike: parameter values -> validation -> lowering -> a backend.
class RunService final {
public:
    explicit RunService(BackendRegistry &registry) : m_registry(registry) {}

    // The validated, lowered request. When validation finds errors they are
    // put in `problems` (located; the file filled in) and the error lists them.
    static Result<RunRequest> prepare(const Pipeline &pipeline, const RunSettings &settings,
                                      std::vector<Problem> *problems = nullptr);

    // Submits to the named backend.
    Future<SubmittedRun> submit(const std::string &backend, const RunRequest &request);

    BackendRegistry &registry() { return m_registry; }

private:
    BackendRegistry &m_registry;
};

} // namespace pw
