// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/kfpargument.h"
#include "ir/pipelinespec.h"
#include "model/pipeline.h"
#include "util/result.h"

#include <map>
#include <set>
#include <string>

namespace pw {

// Import of one DAG component (the root or a sub-pipeline) into a Graph: the
// inverse of GraphLowerer. Group sub-DAGs become groups, and every
// "pipelinechannel--" input is traced back through the group tasks to the
// value it carries.
class GraphRaiser final {
public:
    GraphRaiser(const ir::PipelineSpec &spec, Pipeline &pipeline, const std::string &fileName);

    // Raises `dag` (of the component named `componentName`, "" for root).
    Result<Graph> raise(const ir::ComponentSpec &component, const std::string &componentName);

private:
    struct Scope {
        std::string parent;           // enclosing scope ("" = graph root)
        const ir::ComponentSpec *comp = nullptr;
        const ir::PipelineTask *task = nullptr; // the group's task in the parent DAG
    };

    bool isGroupTask(const std::string &key, const ir::PipelineTask &task) const;
    Result<bool> collectScopes(const ir::Dag &dag, const std::string &scope);
    Result<Binding> resolveParameter(const ir::InputParameter &p, const std::string &scope);
    Result<Binding> resolveArtifact(const ir::InputArtifact &a, const std::string &scope);
    Result<Binding> resolveChannel(const std::string &name, const std::string &scope, bool artifact);
    Result<Binding> traceOutput(const std::string &producer, const std::string &key, const std::string &scope,
                                bool artifact);
    Result<Binding> traceArtifactSelectors(const std::vector<ir::DagOutputArtifact::Selector> &selectors,
                                           const std::string &scope);
    Result<Binding> resolveTemplate(const ir::KfpArgument &text, const ir::PipelineTask &task,
                                    const std::string &scope);
    Result<bool> raiseGroup(const std::string &id, Graph &graph);
    Result<std::optional<Condition>> parseCondition(const std::string &expr, const ir::PipelineTask &task,
                                                    const std::string &scope, int *negations);
    Result<bool> raiseTask(const std::string &key, const ir::PipelineTask &t, const std::string &scope, Graph &graph);
    Result<bool> raiseDependencies(Graph &graph);
    Result<bool> raisePlatform(const ir::K8sExecutorConfig &k, const ir::PipelineTask &t, const std::string &scope,
                               ExecutionSettings &s);
    Result<std::string> componentFor(const ir::PipelineTask &t, const std::string &key, Task &task);
    Error error(const std::string &message, const std::string &field = {}) const;

    const ir::PipelineSpec &m_spec;
    Pipeline &m_pipeline;
    std::string m_fileName;
    std::string m_componentName;
    std::map<std::string, Scope> m_scopes;            // group id -> scope info
    std::map<std::string, std::string> m_taskScope;   // task key -> scope
    std::map<std::string, const ir::PipelineTask *> m_irTasks; // task key -> IR task
};

// Per-field converters shared with the pipeline-level import.
PortType portTypeFromParameter(const ir::ParameterSpec &p);
PortType portTypeFromArtifact(const ir::ArtifactSpec &a);
std::vector<PortSpec> portsFromInterface(const ir::InterfaceDefinitions &defs);

} // namespace pw
