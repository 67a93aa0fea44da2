// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "report/outputindex.h"
#include "runs/rungraph.h"

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace pw {

// The outputs of a remote run's tasks, indexed the way the local engine
// records them (metrics, visualizations), each task's once it has ended:
// files are still being written before that. Thread-safe.
class EndedTaskOutputs final {
public:
    // What the reader reads for an artifact's content (default: its URI).
    using Locate = std::function<std::string(const RunGraph &, const ArtifactRecord &)>;

    // Replaces run.artifacts by what indexing found and adds the metrics; a
    // task's metrics the server listed itself give way to those its files hold.
    void apply(RunGraph &run, const ContentReader &read, const Locate &locate = {});

private:
    std::mutex m_mutex;
    std::map<std::pair<std::string, std::string>, IndexedOutputs> m_indexed; // (run, task)
};

} // namespace pw
