// SPDX-License-Identifier: Apache-2.0
#include "targets/compiletarget.h"

#include "compiler/lower.h"
#include "ir/pipelinespecio.h"
#include "targets/argowriter.h"
#include "targets/argoyaml.h"
#include "targets/vertexwriter.h"
#include "validate/validator.h"

namespace pw {

Result<std::string> compileToText(const Pipeline &pipeline, CompileTarget target)
{
    for (const Problem &p : validatePipeline(pipeline))
        if (p.severity == Problem::Severity::Error)
            return Error{p.message, p.where};

    LowerOptions lower;
    lower.nativeRunTimeFormatting = target == CompileTarget::Argo;
    auto spec = lowerPipeline(pipeline, lower);
    if (!spec.ok())
        return spec.error();

    switch (target) {
    case CompileTarget::PipelineSpec:
        return ir::writePipelineSpecYaml(*spec);
    case CompileTarget::Argo: {
        ArgoOptions argo;
        // A Google service-account e-mail is not a Kubernetes name: keep Argo's default then.
        if (!pipeline.serviceAccount.empty() && pipeline.serviceAccount.find('@') == std::string::npos)
            argo.serviceAccount = pipeline.serviceAccount;
        auto wf = argoWorkflow(*spec, argo);
        if (!wf.ok())
            return wf.error();
        return argoWorkflowYaml(*wf);
    }
    case CompileTarget::Vertex: {
        VertexOptions vertex;
        vertex.displayName = pipeline.displayName;
        vertex.serviceAccount = pipeline.serviceAccount;
        vertex.labels = pipeline.labels;
        vertex.gcsOutputDirectory = pipeline.pipelineRoot;
        auto job = vertexPipelineJob(*spec, vertex);
        if (!job.ok())
            return job.error();
        return job->dump(2) + "\n";
    }
    }
    return Error{"unknown target", {}};
}

} // namespace pw
