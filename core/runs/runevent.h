// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <QMetaType>

#include <memory>
#include <string>
#include <vector>

namespace pw {

// One step in the life of a run, as a RunWatch reports it. A watch starts
// with a Snapshot (the whole run), then reports every change in the order it
// happened, and ends with End once the run has reached a terminal state.
struct RunEvent {
    enum class Kind {
        Snapshot,   // `run`: the whole run (again after a structural change or a reconnect)
        Run,        // `state`, `message`: the run's own state changed
        Task,       // `task`: one task's new record (every transition, in order)
        Outputs,    // `taskId`, `artifacts`, `metrics`: what the task produced (replaces earlier ones)
        Log,        // `taskId`, `lines`; `reset`: the lines replace what was shown (the tail so far)
        Connection, // `connected`, `message`: the backend lost or regained its server
        End,        // `state`, `message`: the run ended; nothing follows
    };
    Kind kind = Kind::Snapshot;
    std::string runId;
    std::shared_ptr<const RunGraph> run;
    RunState state = RunState::Unknown;
    std::int64_t finishedMs = 0; // End: when the run ended
    TaskRecord task;
    std::string taskId;
    std::vector<ArtifactRecord> artifacts;
    std::vector<MetricRecord> metrics;
    std::vector<std::string> lines; // as shown to people: "<RFC 3339 time> out|err <text>"
    bool reset = false;
    bool connected = true;
    std::string message;
};

// Applies an event to a picture of the run (Snapshot replaces it).
void apply(RunGraph &run, const RunEvent &event);

std::string_view toString(RunEvent::Kind kind);
// For streams (the CLI's --json, server-sent events).
nlohmann::json toJson(const RunEvent &event);

} // namespace pw

Q_DECLARE_METATYPE(pw::RunEvent)
