// SPDX-License-Identifier: Apache-2.0
#include "compiler/lower.h"

#include "compiler/graphlowerer.h"
#include "compiler/runtimehelpers.h"

#include <map>
#include <optional>

namespace pw {

namespace {

Result<ir::PipelineSpec> lowerPrepared(const Pipeline &pipeline, const LowerOptions &options)
{
    ir::PipelineSpec spec;
    spec.pipelineName = pipeline.name;
    spec.displayName = pipeline.displayName;
    spec.description = pipeline.description;
    spec.defaultPipelineRoot = pipeline.pipelineRoot;
    spec.keptFields = pipeline.kfpKeptFields;
    spec.sdkVersion = options.sdkVersion.empty() ? std::string("pipewright-") + PW_VERSION : options.sdkVersion;

    ComponentNamer namer;
    std::map<std::string, std::string> lowered; // sub-pipeline component id -> IR name
    GraphLowerer::SubGraphLowering lowerSub = [&](const std::string &id) -> Result<std::string> {
        if (auto it = lowered.find(id); it != lowered.end())
            return it->second;
        const Component *c = pipeline.component(id);
        if (!c || !c->graph)
            return Error{"sub-pipeline component '" + id + "' has no graph", {}};
        const std::string name = namer.allocate("comp-" + id);
        lowered[id] = name;
        GraphLowerer inner(pipeline, *c->graph, c->inputs, c->outputs, spec, namer, lowerSub, options);
        auto body = inner.lower();
        if (!body.ok())
            return body.error();
        spec.components[name] = *body;
        return name;
    };
    GraphLowerer root(pipeline, pipeline.root, pipeline.inputs, pipeline.outputs, spec, namer, lowerSub, options);
    auto body = root.lower();
    if (!body.ok())
        return body.error();
    spec.root = *body;
    return spec;
}

} // namespace

Result<ir::PipelineSpec> lowerPipeline(const Pipeline &pipeline, const LowerOptions &options)
{
    if (!options.nativeRunTimeFormatting) {
        Pipeline withHelpers = pipeline;
        if (addRunTimeHelpers(withHelpers))
            return lowerPrepared(withHelpers, options);
    }
    return lowerPrepared(pipeline, options);
}

} // namespace pw
