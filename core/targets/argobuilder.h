// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to the Argo target: the state kept while one PipelineSpec is
// turned into a Workflow. Split over argowriter.cpp (workflow, exit
// handlers), argodag.cpp (DAG templates and tasks), argotemplates.cpp
// (container and importer templates) and argoplatform.cpp (Kubernetes
// executor config, resources, retries).

#include "ir/kfpargument.h"
#include "ir/pipelinespec.h"
#include "targets/argowriter.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pw::argo {

using Json = nlohmann::json;

// Inputs a template variant receives (KFP names). Optional inputs a task does
// not pass are simply absent, which is how IfPresent is decided statically.
struct Declared {
    std::set<std::string> params;
    std::set<std::string> artifacts;
    // Values known at compile time (constants, defaults); only used where
    // Argo needs a decision the IR leaves to run time (importer URI scheme).
    std::map<std::string, std::string> known;
    // Pipeline input artifacts: Argo has no unsourced workflow artifacts, so,
    // as KFP v1 did, the artifact's content is a parameter of the same name.
    std::set<std::string> rawArtifacts;
};

// Where a DAG task's references point.
enum class RefScope {
    Dag,      // inside a DAG template: {{inputs...}}, {{tasks...}}
    RootExit, // spec.onExit: only {{workflow...}} variables
    Hook,     // a task's exit hook: DAG scope plus the hooked task's status
};

// A Kubernetes executor-config value: fixed at compile time, fed through a
// template input (`input`, set by the DAG task to `argument`), or absent
// because it comes from an optional input nobody set.
struct K8sValue {
    enum class Kind { Absent, Static, Param };
    Kind kind = Kind::Absent;
    Json value;           // Static
    std::string input;    // Param: template input name
    std::string argument; // Param: Argo text the DAG task passes
};

// Per-task resolution of the parameterised parts of a K8sExecutorConfig, in
// the config's own order.
struct K8sResolved {
    std::vector<K8sValue> secretEnv, secretVolume, configMapEnv, configMapVolume, pullSecrets, pvcs,
        tolerations, affinities;
    K8sValue nodeSelector;
    std::vector<std::pair<std::string, std::string>> arguments() const;
};

// Everything a container template variant depends on.
struct ContainerUse {
    const ir::PipelineTask *task = nullptr;
    std::string taskName; // taskInfo.name, for {{$.pipeline_task_name}}
    const ir::ComponentSpec *component = nullptr;
    std::string executorLabel;
    Declared declared;
    std::map<std::string, std::string> paramTypes; // declared param -> parameterType
    K8sResolved k8s;
};

// The DAG template being filled.
struct DagScope {
    const ir::ComponentSpec *component = nullptr;
    const ir::Dag *dag = nullptr;
    Declared declared;
    bool root = false;
};

// Pieces of a podSpecPatch: pod fields Argo can only take as typed values
// (resource quantities, objects read from parameters) when they are known
// at run time.
struct PodPatch {
    std::map<std::string, std::string> limits, requests; // resource name -> JSON text of the value
    std::map<std::string, std::string> fields;           // pod field -> raw JSON text
    std::string text() const;                            // empty when nothing to patch
};

class ArgoBuilder final {
public:
    ArgoBuilder(const ir::PipelineSpec &spec, const ArgoOptions &options);

    Result<Json> build();

private:
    struct TaskArgs {
        std::map<std::string, std::string> values; // KFP input name -> Argo text
        std::map<std::string, Json> artifacts;     // KFP input name -> argument (`from` or `raw`)
        Declared declared;                         // what the child template receives
    };
    struct ChildRef {
        std::string name;
        std::vector<std::pair<std::string, std::string>> extraArguments; // platform inputs
    };

    // argowriter.cpp
    Result<Json> workflowArguments(Declared &rootDeclared) const;
    std::string pipelineSpecAnnotation() const;
    Result<std::string> rootExitHandler(const DagScope &root);
    std::string finalStatusJson(RefScope refs, const std::string &upstreamKey, const ir::Dag &dag) const;

    // argodag.cpp
    Result<std::string> dagTemplate(const std::string &componentName, const ir::ComponentSpec &component,
                                    const Declared &declared, const std::string &preferredName, bool root);
    Result<TaskArgs> taskArguments(const ir::PipelineTask &task, const DagScope &scope, RefScope refs,
                                   const std::string &hookedTask) const;
    Result<std::optional<std::string>> parameterValue(const ir::InputParameter &p, const DagScope &scope,
                                                      RefScope refs, const std::string &hookedTask) const;
    // The run-level placeholders (job, task name, root, run times) as Argo
    // text; nullopt for the others, which depend on where they are used.
    std::optional<Result<std::string>> renderRunPlaceholder(const ir::KfpPlaceholder &ph,
                                                            const std::string &taskName) const;
    Result<std::string> renderConstant(const std::string &text, const ir::PipelineTask &task,
                                       const std::map<std::string, std::string> &siblings) const;
    Result<Json> dagTask(const std::string &taskKey, const ir::PipelineTask &task, const DagScope &scope,
                         RefScope refs, const std::string &hookedTask);
    Result<ChildRef> childTemplate(const ir::PipelineTask &task, const TaskArgs &args, const DagScope &scope,
                                   RefScope refs);
    Result<Json> dagOutputs(const ir::Dag &dag) const;
    Result<Json> parallelismWrapper(Json loopTask, int parallelism, const ir::ComponentSpec &child);
    const ir::ComponentSpec *component(const std::string &name) const;

    // argotemplates.cpp
    Result<std::string> containerTemplate(const ContainerUse &use);
    Result<std::string> importerTemplate(const ContainerUse &use, const ir::ImporterExecutor &importer);
    Result<std::vector<std::string>> renderCommandLine(const std::vector<std::string> &items,
                                                       const ContainerUse &use) const;
    Result<std::vector<std::string>> renderArgument(const ir::KfpArgument &item,
                                                    const ContainerUse &use) const;
    const Result<ir::KfpArgument> &parsedItem(const std::string &text) const;
    Result<std::string> renderPlaceholder(const ir::KfpPlaceholder &ph, const ContainerUse &use) const;
    Result<std::string> renderContainerText(const std::string &text, const ContainerUse &use) const;
    std::string executorInputJson(const ContainerUse &use) const;

    // argoplatform.cpp
    Result<K8sResolved> resolveK8s(const std::string &executorLabel, const DagScope &scope,
                                   RefScope refs) const;
    std::optional<Error> applyPlatform(Json &tmpl, PodPatch &patch, const ContainerUse &use);
    std::optional<Error> applyResources(Json &tmpl, PodPatch &patch, const ContainerUse &use) const;
    static Result<Json> retryStrategy(const ir::RetryPolicy &policy);

    // Template registry: equal content under the same preferred name is
    // emitted once; different content gets a numbered name.
    std::string addTemplate(const std::string &preferredName, Json tmpl, bool entrypoint = false);

    const ir::PipelineSpec &m_spec;
    const ArgoOptions &m_options;
    std::map<std::string, Json> m_templates;                                // name -> template
    // Identical templates are shared, as KFP v1 does: (preferred name, entrypoint, content hash) -> names.
    struct SharedTemplate {
        std::string preferredName;
        bool entrypoint = false;
        std::string name;
    };
    std::unordered_multimap<size_t, SharedTemplate> m_byContent;
    // Command-line items as parsed, by text: executors shared by many tasks
    // repeat the same items.
    mutable std::unordered_map<std::string, Result<ir::KfpArgument>> m_parsedItems;
    std::set<std::string> m_pullSecrets;      // static imagePullSecrets, workflow level
    std::vector<std::string> m_rootExitTasks; // root tasks that run from spec.onExit
    std::string m_rootName;
};

// Shared helpers.
std::string encodeParameterValue(const Json &value, const std::string &parameterType);
bool cachingDisabled(const ir::PipelineTask &task);
std::string stripPrefix(const std::string &name, const std::string &prefix);
std::string paramTag(const std::string &kfpName); // {{inputs.parameters.<name>}}
std::string paramVar(const std::string &kfpName); // inputs.parameters['<name>'] (expressions)
constexpr const char *kTriggerAllCompleted = "ALL_UPSTREAM_TASKS_COMPLETED";
constexpr const char *kOutputsRoot = "/tmp/outputs/";
constexpr const char *kInputsRoot = "/tmp/inputs/";
constexpr const char *kExecutorOutputFile = "/tmp/kfp_outputs/output_metadata.json";

} // namespace pw::argo
