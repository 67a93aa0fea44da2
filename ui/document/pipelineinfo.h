// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"

namespace pw {

// The pipeline-level fields the inspector edits as one unit, so one undo
// command can swap them without touching tasks, groups or layout.
struct PipelineInfo {
    std::string name, displayName, description, pipelineRoot;
    std::vector<PortSpec> inputs, outputs;
    std::vector<NodePool> nodePools;
    std::string defaultNodePool, serviceAccount;
    std::map<std::string, std::string> labels;

    static PipelineInfo of(const Pipeline &p)
    {
        return {p.name,      p.displayName,     p.description,    p.pipelineRoot, p.inputs, p.outputs,
                p.nodePools, p.defaultNodePool, p.serviceAccount, p.labels};
    }
    void applyTo(Pipeline &p) const
    {
        p.name = name;
        p.displayName = displayName;
        p.description = description;
        p.pipelineRoot = pipelineRoot;
        p.inputs = inputs;
        p.outputs = outputs;
        p.nodePools = nodePools;
        p.defaultNodePool = defaultNodePool;
        p.serviceAccount = serviceAccount;
        p.labels = labels;
    }
    bool operator==(const PipelineInfo &) const = default;
};

} // namespace pw
