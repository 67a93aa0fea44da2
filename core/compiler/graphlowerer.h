// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "compiler/lower.h"
#include "compiler/scopetree.h"
#include "ir/celexpression.h"
#include "ir/pipelinespec.h"
#include "model/pipeline.h"
#include "util/result.h"

#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <string>

namespace pw {

// Allocates IR component names ("comp-x", "comp-x-2") across a whole spec.
class ComponentNamer final {
public:
    void reserve(const std::string &name) { m_used.insert(name); }
    std::string allocate(const std::string &base);

private:
    std::set<std::string> m_used;
    std::map<std::string, int> m_nextSuffix; // so the n-th use of a base is not O(n)
};

// Lowers one graph (the pipeline root or a sub-pipeline body) into a DAG
// component, following the KFP 2.x compiler: every group becomes a sub-DAG
// component, and values crossing group boundaries travel through
// "pipelinechannel--" inputs and outputs.
class GraphLowerer final {
public:
    // Lowers a sub-pipeline component (by id) on demand; returns its IR name.
    using SubGraphLowering = std::function<Result<std::string>(const std::string &componentId)>;

    GraphLowerer(const Pipeline &pipeline, const Graph &graph, const std::vector<PortSpec> &inputs,
                 const std::vector<PortSpec> &outputs, ir::PipelineSpec &spec, ComponentNamer &namer,
                 SubGraphLowering lowerSubGraph, const LowerOptions &options);

    Result<ir::ComponentSpec> lower();

private:
    // A value as seen from the scope where it is produced.
    struct ValueRef {
        enum class Kind { GraphInput, TaskOutput };
        Kind kind = Kind::GraphInput;
        std::string name;     // graph input name, or output key of `producer`
        std::string producer; // task or group id
        std::string home;     // scope where the direct form is valid
        std::string channel;  // name used when passing through groups
        PortType type;
    };

    Result<ValueRef> refFor(const Binding &b, const std::string &consumerScope, std::string *selector);
    Result<ValueRef> oneOfRef(const Binding &b);
    // The IR input that carries a loop's item, and the item's type (an
    // artifact for a loop over a list of artifacts).
    Result<std::pair<std::string, PortType>> loopItemInput(const Group &loop);
    // The IR name of the list a loop iterates over, once it reaches the loop.
    std::string loopListChannel(const Binding &items, const ValueRef &list);
    ValueRef exposeUpward(ValueRef ref, const std::string &ancestor);
    template <typename Input>
    void bindValue(const ValueRef &in, const std::string &scope, ir::PipelineTask *consumer, Input &out);
    void bindParameter(const ValueRef &ref, const std::string &scope, ir::PipelineTask *consumer,
                       ir::InputParameter &out);
    void bindArtifact(const ValueRef &ref, const std::string &scope, ir::PipelineTask *consumer,
                      ir::InputArtifact &out);
    Result<ir::InputParameter> bindingToParameter(const Binding &b, const std::string &scope,
                                                  ir::PipelineTask *consumer);
    Result<bool> bindArgument(const std::string &inputName, const PortSpec *port, const Binding &b,
                              const std::string &scope, ir::PipelineTask &task);

    Result<bool> lowerTask(const Task &task);
    Result<bool> lowerContainer(const Task &task, const Component &c, const std::string &compName,
                                ir::PipelineTask &irTask);
    Result<bool> lowerResources(const Task &task, ir::ContainerResources &res, ir::PipelineTask &irTask);
    Result<bool> lowerPlatform(const Task &task, const std::string &execLabel, ir::PipelineTask &irTask);
    Result<bool> lowerGroup(const Group &group);
    Result<std::string> conditionExpression(const Group &group);
    Result<ir::CelExpression> comparison(const Condition &c, const Group &group);
    Result<bool> lowerOutputs();
    void addDependencies();
    void addDependency(ir::PipelineTask &task, const std::string &producer);

    ir::Dag &dagOf(const std::string &scope);
    ir::ComponentSpec &componentOf(const std::string &scope);
    ir::PipelineTask *irTaskFor(const std::string &entity, const std::string &scope);
    const Task *findTask(const std::string &id) const;
    std::string entityAt(const std::string &scope, const std::string &taskOrGroupId) const;
    std::string scopeOfEntity(const std::string &id) const;
    PortType typeOfTaskOutput(const std::string &task, const std::string &output) const;
    static ir::ParameterSpec parameterSpec(const PortType &t);
    static ir::ArtifactSpec artifactSpec(const PortType &t);

    const Pipeline &m_pipeline;
    const Graph &m_graph;
    const std::vector<PortSpec> &m_inputs;
    const std::vector<PortSpec> &m_outputs;
    ir::PipelineSpec &m_spec;
    ComponentNamer &m_namer;
    SubGraphLowering m_lowerSubGraph;
    const LowerOptions &m_options;
    ScopeTree m_scopes;

    ir::ComponentSpec m_root;
    std::map<std::string, std::string> m_groupComponent; // group id -> IR component name
    std::map<std::string, int> m_oneOfCount;              // branches group -> oneofs so far
    std::map<std::string, ValueRef> m_oneOfRefs;          // options (task, output, ...) -> their channel
    std::map<std::string, ir::PipelineTask *> m_taskByModelId;
    std::unordered_map<std::string, const Task *> m_tasksById; // Graph::task is a linear scan
};

} // namespace pw
