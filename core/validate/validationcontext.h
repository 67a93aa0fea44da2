// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "validate/problem.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// One graph being checked: the pipeline's root or a sub-pipeline's body.
struct GraphScope {
    const Graph *graph = nullptr;
    const std::vector<PortSpec> *parameters = nullptr; // what {param: x} may name
    const std::vector<PortSpec> *outputs = nullptr;    // what the graph's outputs must provide
    std::string keyPrefix; // "" at the root, "components.<id>.graph." inside a sub-pipeline
    std::string owner;     // "the pipeline" or "sub-pipeline 'x'", for messages
};

// Collects problems and turns source-map keys into locations. Shared by the
// validator's check files so that every problem is located the same way.
class ValidationContext final {
public:
    explicit ValidationContext(const Pipeline &pipeline) : m_pipeline(pipeline) {}

    const Pipeline &pipeline() const { return m_pipeline; }

    // `key` is a source-map key ("tasks.train.arguments.lr"); when it has no
    // entry the nearest enclosing key that has one supplies the position.
    Location locate(const std::string &key, const std::string &task = {}) const;

    void report(Problem::Severity severity, std::string message, Location where);
    void error(std::string message, Location where)
    {
        report(Problem::Severity::Error, std::move(message), std::move(where));
    }
    void warning(std::string message, Location where)
    {
        report(Problem::Severity::Warning, std::move(message), std::move(where));
    }

    std::vector<Problem> takeProblems() { return std::move(m_problems); }

private:
    const Pipeline &m_pipeline;
    std::vector<Problem> m_problems;
};

// Every binding a task holds (arguments and execution settings), with the
// source-map key of the field it sits in.
void forEachTaskBinding(const Task &task, const std::string &taskKey,
                        const std::function<void(const Binding &, const std::string &key)> &visit);

// The binding itself, then the options of OneOf/Template, depth first.
void forEachBindingLeaf(const Binding &binding, const std::function<void(const Binding &)> &visit);

// Checks split by concern; each reports into the context.
void checkGraph(ValidationContext &ctx, const GraphScope &scope);
void checkCycles(ValidationContext &ctx, const GraphScope &scope);
void checkTaskSettings(ValidationContext &ctx, const GraphScope &scope, const Task &task);
void checkTolerations(ValidationContext &ctx, const std::vector<Toleration> &tolerations,
                      const std::string &key, const std::string &task, const std::string &owner);
void checkLabelMap(ValidationContext &ctx, const std::map<std::string, std::string> &labels,
                   const std::string &key, const std::string &task, const std::string &what,
                   bool checkValues);
// A constant against the port it is bound to; empty when it fits.
struct ConstantFit {
    Problem::Severity severity = Problem::Severity::Error;
    std::string reason; // empty = fits
};
ConstantFit constantFits(const nlohmann::json &value, const PortType &to);

} // namespace pw
