// SPDX-License-Identifier: Apache-2.0
#include "clicontext.h"

#include "clioutput.h"

#include "engine/localbackendfactory.h"
#include "runs/await.h"

#include <iostream>

namespace pw::cli {

CliContext::CliContext() = default;
CliContext::~CliContext() = default;

Result<BackendRegistry *> CliContext::registry()
{
    if (!m_registry) {
        m_registry = std::make_unique<BackendRegistry>();
        auto warnings = setUpRegistry(*m_registry);
        if (!warnings.ok())
            m_setupError = warnings.error();
        else
            for (const std::string &w : *warnings)
                std::cerr << "pipewright: warning: " << w << "\n";
        m_service = std::make_unique<RunService>(*m_registry);
    }
    if (m_setupError)
        return *m_setupError;
    return m_registry.get();
}

Result<Backend *> CliContext::backend(const std::string &name)
{
    auto r = registry();
    if (!r.ok()) {
        if (name != "local")
            return r.error();
        // A broken backends.yaml must not stop local runs.
        std::cerr << "pipewright: warning: " << r.error().toString() << "\n";
        m_setupError.reset();
        return m_registry->backend(name);
    }
    return (*r)->backend(name);
}

Result<Backend *> CliContext::backend(const Args &args)
{
    return backend(args.value("--backend").value_or("local"));
}

Result<CliContext::NamedRun> CliContext::namedRun(const Args &args)
{
    auto b = backend(args);
    if (!b.ok())
        return b.error();
    auto id = await((*b)->resolveRunId(args.positionals().front()));
    if (!id.ok())
        return id.error();
    return NamedRun{*b, *id};
}

std::variant<CliContext::NamedRun, int> CliContext::oneRun(const Args &args, const std::string &command)
{
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError(command + " takes exactly one RUN_ID");
    auto run = namedRun(args);
    if (!run.ok())
        return fail(run.error());
    return *run;
}

RunService &CliContext::service()
{
    (void)registry();
    return *m_service;
}

} // namespace pw::cli
