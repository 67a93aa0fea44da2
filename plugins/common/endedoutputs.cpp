// SPDX-License-Identifier: Apache-2.0
#include "endedoutputs.h"

#include <algorithm>

namespace pw {

void EndedTaskOutputs::apply(RunGraph &run, const ContentReader &read, const Locate &locate)
{
    std::map<std::string, std::vector<OutputArtifact>> byTask;
    for (const ArtifactRecord &a : run.artifacts)
        byTask[a.task].push_back({a.name, a.uri, locate ? locate(run, a) : a.uri, a.type, a.metadata, a.extra});
    std::vector<ArtifactRecord> artifacts;
    std::vector<MetricRecord> metrics;
    for (const TaskRecord &t : run.tasks) {
        const auto outputs = byTask.find(t.id);
        if (outputs == byTask.end())
            continue;
        if (!isTerminal(t.state)) {
            for (const OutputArtifact &o : outputs->second)
                artifacts.push_back({t.id, o.name, o.uri, o.schemaTitle, "", o.metadata, o.extra});
            continue;
        }
        const auto key = std::make_pair(run.id, t.id);
        IndexedOutputs indexed;
        bool known = false;
        {
            std::lock_guard lock(m_mutex);
            if (const auto it = m_indexed.find(key); it != m_indexed.end()) {
                indexed = it->second;
                known = true;
            }
        }
        if (!known) { // read without the lock: it is network work
            indexed = indexOutputs(t.id, outputs->second, read);
            std::lock_guard lock(m_mutex);
            m_indexed[key] = indexed;
        }
        artifacts.insert(artifacts.end(), indexed.artifacts.begin(), indexed.artifacts.end());
        if (!indexed.metrics.empty())
            std::erase_if(run.metrics, [&](const MetricRecord &m) { return m.task == t.id; });
        metrics.insert(metrics.end(), indexed.metrics.begin(), indexed.metrics.end());
    }
    run.artifacts = std::move(artifacts);
    run.metrics.insert(run.metrics.end(), metrics.begin(), metrics.end());
}

} // namespace pw
