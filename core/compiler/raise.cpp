// SPDX-License-Identifier: Apache-2.0
#include "compiler/raise.h"

#include "compiler/graphraiser.h"

namespace pw {

Result<Pipeline> raisePipelineSpec(const ir::PipelineSpec &spec, const std::string &fileName)
{
    Pipeline p;
    p.name = spec.pipelineName;
    p.displayName = spec.displayName;
    p.description = spec.description;
    p.pipelineRoot = spec.defaultPipelineRoot;
    p.fileName = fileName;
    p.kfpKeptFields = spec.keptFields;
    p.inputs = portsFromInterface(spec.root.inputDefinitions);
    p.outputs = portsFromInterface(spec.root.outputDefinitions);
    GraphRaiser raiser(spec, p, fileName);
    auto root = raiser.raise(spec.root, {});
    if (!root.ok())
        return root.error();
    p.root = std::move(*root);
    return p;
}

} // namespace pw
