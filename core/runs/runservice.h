// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pipewright_export.h"

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
    // Where relative paths in the pipeline resolve; empty: the pipeline file's
    // folder, so a document's own paths mean the same from anywhere.
    std::string workDir;
    // Where the values in `parameters` were typed (the CLI's current folder).
    // A string value there that is a relative path to something in this
    // folder ("./x", "../x", or whose first part exists here) becomes
    // absolute, so it does not move to the pipeline's folder. Empty: as is.
    std::string typedIn;
    nlohmann::json options = nlohmann::json::object(); // backend-specific
};

// The one path from a pipeline to a run, for the CLI, the studio and the
// server alike: parameter values -> validation -> lowering -> a backend.
// Relative paths: see RunSettings::workDir and typedIn.
class PW_EXPORT RunService final {
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
