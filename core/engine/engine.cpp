// SPDX-License-Identifier: Apache-2.0
#include "engine/engine.h"

#include "engine/runner.h"

namespace pw {

nlohmann::json EngineOptions::toJson() const
{
    nlohmann::json params = nlohmann::json::object();
    for (const auto &[k, v] : parameters)
        params[k] = v;
    return {{"parallelism", parallelism}, {"cache", cache},          {"runtime", runtime},
            {"workDir", workDir},         {"runName", runName},      {"parameters", params},
            {"killGraceMs", killGraceMs}};
}

EngineOptions EngineOptions::fromJson(const nlohmann::json &j)
{
    EngineOptions o;
    if (!j.is_object())
        return o;
    o.parallelism = j.value("parallelism", 0);
    o.cache = j.value("cache", true);
    o.runtime = j.value("runtime", "process");
    o.workDir = j.value("workDir", "");
    o.runName = j.value("runName", "");
    o.killGraceMs = j.value("killGraceMs", std::int64_t{3000});
    if (auto p = j.find("parameters"); p != j.end() && p->is_object())
        for (const auto &[k, v] : p->items())
            o.parameters[k] = v;
    return o;
}

Engine::Engine(RunStore &store, EngineObserver *observer) : m_store(store), m_observer(observer) {}

Engine::~Engine() = default;

Result<std::string> Engine::create(const ir::PipelineSpec &spec, const EngineOptions &options)
{
    m_runner = std::make_unique<Runner>(m_store, m_observer, m_cancel);
    return m_runner->create(spec, options);
}

Result<std::string> Engine::prepareResume(const std::string &runId)
{
    m_runner = std::make_unique<Runner>(m_store, m_observer, m_cancel);
    return m_runner->prepareResume(runId);
}

RunGraph Engine::graph() const { return m_runner ? m_runner->summary() : RunGraph{}; }

Result<RunState> Engine::execute()
{
    if (!m_runner)
        return Error{"no run to execute: call create() or prepareResume() first", {}};
    return m_runner->execute();
}

void Engine::requestCancel()
{
    m_cancel.store(true);
    if (Runner *r = m_runner.get())
        r->wake();
}

} // namespace pw
