// SPDX-License-Identifier: Apache-2.0
#include "runs/runevent.h"

namespace pw {

std::string_view toString(RunEvent::Kind kind)
{
    switch (kind) {
    case RunEvent::Kind::Snapshot:
        return "snapshot";
    case RunEvent::Kind::Run:
        return "run";
    case RunEvent::Kind::Task:
        return "task";
    case RunEvent::Kind::Outputs:
        return "outputs";
    case RunEvent::Kind::Log:
        return "log";
    case RunEvent::Kind::Connection:
        return "connection";
    case RunEvent::Kind::End:
        return "end";
    }
    return "unknown";
}

void apply(RunGraph &run, const RunEvent &e)
{
    switch (e.kind) {
    case RunEvent::Kind::Snapshot:
        if (e.run)
            run = *e.run;
        break;
    case RunEvent::Kind::Run:
    case RunEvent::Kind::End:
        run.state = e.state;
        run.message = e.message;
        if (e.finishedMs)
            run.finishedMs = e.finishedMs;
        break;
    case RunEvent::Kind::Task:
        run.upsert(e.task);
        break;
    case RunEvent::Kind::Outputs:
        std::erase_if(run.artifacts, [&](const ArtifactRecord &a) { return a.task == e.taskId; });
        std::erase_if(run.metrics, [&](const MetricRecord &m) { return m.task == e.taskId; });
        run.artifacts.insert(run.artifacts.end(), e.artifacts.begin(), e.artifacts.end());
        run.metrics.insert(run.metrics.end(), e.metrics.begin(), e.metrics.end());
        break;
    case RunEvent::Kind::Log:
    case RunEvent::Kind::Connection:
        break;
    }
}

nlohmann::json toJson(const RunEvent &e)
{
    nlohmann::json j = {{"kind", toString(e.kind)}, {"runId", e.runId}};
    switch (e.kind) {
    case RunEvent::Kind::Snapshot:
        j["run"] = e.run ? toJson(*e.run) : nlohmann::json(nullptr);
        break;
    case RunEvent::Kind::Run:
    case RunEvent::Kind::End:
        j["state"] = toString(e.state);
        if (!e.message.empty())
            j["message"] = e.message;
        break;
    case RunEvent::Kind::Task:
        j["task"] = toJson(e.task);
        break;
    case RunEvent::Kind::Outputs: {
        j["task"] = e.taskId;
        nlohmann::json artifacts = nlohmann::json::array();
        for (const ArtifactRecord &a : e.artifacts)
            artifacts.push_back(toJson(a));
        nlohmann::json metrics = nlohmann::json::array();
        for (const MetricRecord &m : e.metrics)
            metrics.push_back({{"name", m.name}, {"value", m.value}, {"format", m.format}});
        j["artifacts"] = artifacts;
        j["metrics"] = metrics;
        break;
    }
    case RunEvent::Kind::Log:
        j["task"] = e.taskId;
        j["lines"] = e.lines;
        if (e.reset)
            j["reset"] = true;
        if (!e.message.empty())
            j["message"] = e.message;
        break;
    case RunEvent::Kind::Connection:
        j["connected"] = e.connected;
        if (!e.message.empty())
            j["message"] = e.message;
        break;
    }
    return j;
}

} // namespace pw
