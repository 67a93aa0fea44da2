// SPDX-License-Identifier: Apache-2.0
#include "runs/runservice.h"

#include "compiler/preparespec.h"


#include <filesystem>

namespace pw {

Result<RunRequest> RunService::prepare(const Pipeline &pipeline, const RunSettings &settings,
                                       std::vector<Problem> *problems)
{
    Pipeline p = pipeline;
    std::vector<Problem> found;
    auto spec = prepareSpec(p, settings.parameters, {}, found);
    if (problems) // warnings belong to validate and compile; a run only needs to be runnable
        for (Problem &problem : found)
            if (problem.severity == Problem::Severity::Error)
                problems->push_back(std::move(problem));
    if (!spec.ok())
        return spec.error();

    RunRequest request;
    request.spec = std::move(spec).value();
    // The values given also travel on their own: remote servers take them as
    // the run's parameters, and a clone of the run shows them.
    for (const PortSpec &input : p.inputs)
        if (settings.parameters.count(input.name) && input.defaultValue)
            request.parameters[input.name] = *input.defaultValue;
    request.runName = settings.runName;
    request.cache = settings.cache;
    request.experiment = settings.experiment;
    request.serviceAccount = settings.serviceAccount;
    request.pipelineRoot = settings.pipelineRoot;
    request.workDir = settings.workDir;
    if (request.workDir.empty() && !pipeline.fileName.empty()) {
        std::error_code ec;
        request.workDir = std::filesystem::absolute(pipeline.fileName, ec).parent_path().string();
    }
    request.options = settings.options.is_object() ? settings.options : nlohmann::json::object();
    return request;
}

Future<SubmittedRun> RunService::submit(const std::string &backend, const RunRequest &request)
{
    auto b = m_registry.backend(backend);
    if (!b.ok())
        return QtFuture::makeReadyFuture(Result<SubmittedRun>(b.error()));
    return (*b)->submit(request);
}

} // namespace pw
