// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/component.h"
#include "model/graph.h"
#include "model/porttype.h"
#include "util/result.h"

#include <map>
#include <string>
#include <vector>

namespace pw {

// Node positions and frames; kept apart from meaning so moving a node never
// changes what the pipeline does.
struct Layout {
    struct Point {
        double x = 0, y = 0;
        bool operator==(const Point &) const = default;
    };
    std::map<std::string, Point> tasks;  // task id -> position
    std::map<std::string, Point> groups; // group id -> top-left
    bool operator==(const Layout &) const = default;
};

// A node pool preset: what "high-memory" means on this cluster.
struct NodePool {
    std::string name;
    std::map<std::string, std::string> nodeSelector;
    std::vector<Toleration> tolerations;
    bool operator==(const NodePool &) const = default;
};

// What users edit. A pipeline is itself a graph component: its inputs are the
// pipeline parameters and its outputs are the pipeline outputs.
struct Pipeline {
    std::string name;        // pipelineInfo.name, Kubernetes-safe
    std::string displayName;
    std::string description;
    std::string pipelineRoot; // default artifact root (gs://..., minio://...)

    std::vector<PortSpec> inputs;
    std::vector<PortSpec> outputs;
    Graph root;

    // Every component used anywhere in the pipeline, including inside
    // sub-pipelines, keyed by id ("print-op", "print-op-2").
    std::map<std::string, Component> components;

    std::vector<NodePool> nodePools;
    std::string defaultNodePool;
    std::string serviceAccount;
    std::map<std::string, std::string> labels; // run labels (Vertex)

    Layout layout;

    // Fields of an imported KFP PipelineSpec that Pipewright keeps without
    // modelling them (a task's Kubernetes emptyDirMounts, the pipeline's
    // workspace config, ...): JSON pointer into the spec -> value, written
    // back where they were when the pipeline compiles to a PipelineSpec.
    std::map<std::string, nlohmann::json> kfpKeptFields;

    // Where things came from in the file this pipeline was read from, for
    // located problems: keys like "tasks.train", "tasks.train.arguments.lr",
    // "inputs.date", "groups.for-loop-1". Not part of the pipeline's meaning.
    std::string fileName;
    std::map<std::string, Location> sourceMap;

    const Component *component(std::string_view id) const;
    Component *component(std::string_view id);
    const PortSpec *input(std::string_view n) const;
    const NodePool *nodePool(std::string_view n) const;
};

} // namespace pw
