// SPDX-License-Identifier: Apache-2.0
#include "runs/runservice.h"

#include "compiler/preparespec.h"


#include <filesystem>

namespace pw {

namespace {

// A typed value that names something relative to where it was typed.
bool isLocalRelativePath(const std::string &value, const std::filesystem::path &base)
{
    if (value.empty() || value.front() == '/' || value.find("://") != std::string::npos)
        return false;
    if (value.rfind("./", 0) == 0 || value.rfind("../", 0) == 0)
        return true;
    std::error_code ec;
    const std::string first = value.substr(0, value.find('/'));
    return std::filesystem::exists(base / value, ec) || (first != value && std::filesystem::is_directory(base / first, ec));
}

std::map<std::string, std::string> resolveTyped(const Pipeline &pipeline, std::map<std::string, std::string> values,
                                                const std::string &typedIn)
{
    if (typedIn.empty())
        return values;
    const std::filesystem::path base(typedIn);
    for (const PortSpec &input : pipeline.inputs) {
        auto it = values.find(input.name);
        if (it == values.end() || !input.type.isParameter() || input.type.parameter != ParameterType::String)
            continue;
        if (isLocalRelativePath(it->second, base))
            it->second = (base / it->second).lexically_normal().string();
    }
    return values;
}

} // namespace

Result<RunRequest> RunService::prepare(const Pipeline &pipeline, const RunSettings &settings,
                                       std::vector<Problem> *problems)
{
    Pipeline p = pipeline;
    std::vector<Problem> found;
    const auto values = resolveTyped(pipeline, settings.parameters, settings.typedIn);
    auto spec = prepareSpec(p, values, {}, found);
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
        if (values.count(input.name) && input.defaultValue)
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
