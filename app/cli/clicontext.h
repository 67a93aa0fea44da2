// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cliargs.h"
#include "runs/backend.h"
#include "runs/backendregistry.h"
#include "runs/runservice.h"

#include <memory>
#include <string>
#include <variant>

namespace pw::cli {

// What the run commands share: the backend registry (the local engine, the
// plugins, backends.yaml), set up on first use so that `compile` never reads
// the configuration.
class CliContext final {
public:
    CliContext();
    ~CliContext();

    // The registry; an error when backends.yaml is malformed.
    Result<BackendRegistry *> registry();
    // The backend `--backend NAME` names (default: local).
    Result<Backend *> backend(const Args &args);
    Result<Backend *> backend(const std::string &name);
    RunService &service();

    struct NamedRun {
        Backend *backend = nullptr;
        std::string id;
    };
    // The backend --backend names and the full id of the run the first
    // positional argument names (a unique prefix will do where the backend allows).
    Result<NamedRun> namedRun(const Args &args);
    // For a command that takes exactly one RUN_ID (show, resume, rerun,
    // cancel, archive, delete): the run, or the exit code once the problem is
    // printed (2: the arguments are wrong, 1: no such backend or run).
    std::variant<NamedRun, int> oneRun(const Args &args, const std::string &command);

private:
    std::unique_ptr<BackendRegistry> m_registry;
    std::unique_ptr<RunService> m_service;
    std::optional<Error> m_setupError;
};

} // namespace pw::cli
