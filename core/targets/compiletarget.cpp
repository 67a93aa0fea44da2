// SPDX-License-Identifier: Apache-2.0
#include "targets/compiletarget.h"

#include "compiler/preparespec.h"
#include "ir/pipelinespecio.h"
#include "targets/argowriter.h"
#include "targets/argoyaml.h"
#include "targets/vertexwriter.h"

namespace pw {

Result<std::string> compileToText(const Pipeline &pipeline, CompileTarget target, const CompileOptions &options,
                                  std::vector<Problem> *problems)
{
    Pipeline p = pipeline;
    LowerOptions lower;
    lower.nativeRunTimeFormatting = target == CompileTarget::Argo;
    std::vector<Problem> found;
    auto spec = prepareSpec(p, options.parameters, lower, found);
    if (problems)
        problems->insert(problems->end(), found.begin(), found.end());
    for (const Problem &problem : found)
        if (problem.severity == Problem::Severity::Error)
            return Error{problem.message, problem.where};
    if (!spec.ok())
        return spec.error();

    switch (target) {
    case CompileTarget::PipelineSpec:
        return ir::writePipelineSpecYaml(*spec);
    case CompileTarget::Argo: {
        // Kept KFP fields (emptyDirMounts, a workspace, ...) have no Argo form here: say so.
        if (problems && !pipeline.kfpKeptFields.empty()) {
            Problem dropped;
            dropped.severity = Problem::Severity::Warning;
            dropped.message = std::to_string(pipeline.kfpKeptFields.size()) +
                              " KFP field(s) kept from the imported PipelineSpec (first: " +
                              pipeline.kfpKeptFields.begin()->first +
                              ") are not in the Argo output; compile to pipelinespec to keep them";
            dropped.where.file = pipeline.fileName;
            problems->push_back(std::move(dropped));
        }
        ArgoOptions argo;
        // A Google service-account e-mail is not a Kubernetes name: keep Argo's default then.
        if (!pipeline.serviceAccount.empty() && pipeline.serviceAccount.find('@') == std::string::npos)
            argo.serviceAccount = pipeline.serviceAccount;
        if (options.serviceAccount)
            argo.serviceAccount = *options.serviceAccount;
        argo.parameterValues = options.parameters;
        auto wf = argoWorkflow(*spec, argo);
        if (!wf.ok())
            return wf.error();
        return argoWorkflowYaml(*wf);
    }
    case CompileTarget::Vertex: {
        VertexOptions vertex;
        vertex.displayName = pipeline.displayName;
        vertex.serviceAccount = options.serviceAccount.value_or(pipeline.serviceAccount);
        vertex.labels = pipeline.labels;
        vertex.parameterValues = options.parameters;
        vertex.gcsOutputDirectory = options.outputDir.value_or(pipeline.pipelineRoot);
        auto job = vertexPipelineJob(*spec, vertex);
        if (!job.ok())
            return job.error();
        return job->dump(2) + "\n";
    }
    }
    return Error{"unknown target", {}};
}

} // namespace pw
