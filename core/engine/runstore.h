// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"
#include "util/result.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace pw {

class RunStoreFile;
class SqlStatement;

// Local runs: one SQLite file (runs.db) plus one directory per run, under the
// user's data directory. WAL journal and a busy timeout let several engines
// (two `pipewright run`s, the studio) write at once; every batch of state
// changes is one transaction, so a killed engine leaves the store consistent.
// An engine records its pid and process start time on its run; a reader that
// finds that process gone reports the run as interrupted.
class RunStore final {
public:
    ~RunStore();
    RunStore(const RunStore &) = delete;
    RunStore &operator=(const RunStore &) = delete;

    // $XDG_DATA_HOME/pipewright, else ~/.local/share/pipewright.
    static std::string defaultDataDir();
    static Result<std::unique_ptr<RunStore>> open(const std::string &dataDir = defaultDataDir());

    const std::string &dataDir() const { return m_dataDir; }
    std::string runsDir() const { return m_dataDir + "/runs"; }

    // A new run with its IR (PipelineSpec YAML) and engine options, for resume.
    Result<bool> createRun(const RunGraph &run, const std::string &specYaml, const nlohmann::json &options);
    // Marks the run as executed by this process from now on (start or resume),
    // in one step with checking that it is still in state `from`: of two
    // engines resuming the same run at once exactly one wins, and the other
    // gets an error saying so.
    Result<bool> claimRun(const std::string &runId, RunState from);

    // One transaction: the run's state and every changed task, artifact and metric.
    struct Batch {
        std::optional<RunState> runState;
        std::int64_t runFinishedMs = 0;
        std::string runMessage;
        std::vector<TaskRecord> tasks;
        std::vector<std::int64_t> pids; // per task: its process group while it runs, else 0
        std::vector<ArtifactRecord> artifacts; // replace the task's artifacts when non-empty
        std::vector<MetricRecord> metrics;
        bool empty() const { return !runState && tasks.empty() && artifacts.empty() && metrics.empty(); }
    };
    Result<bool> write(const std::string &runId, const Batch &batch);

    // Runs newest first, without tasks (loadRun has them). Runs of engines
    // that are gone become interrupted first.
    Result<std::vector<RunGraph>> listRuns();
    Result<RunGraph> loadRun(const std::string &runId);
    // A full id, or a prefix that names exactly one run.
    Result<std::string> resolveRunId(const std::string &idOrPrefix);
    Result<std::string> runSpec(const std::string &runId);
    Result<nlohmann::json> runOptions(const std::string &runId);

    // Cancel from any process: a flag the engine polls. A run whose engine is gone is
    // marked cancelled at once. Returns the run's state after the request.
    Result<RunState> requestCancel(const std::string &runId);
    bool cancelRequested(const std::string &runId);

    // Cache: outputs of a finished task by cache key.
    std::optional<nlohmann::json> cacheLookup(const std::string &key);
    Result<bool> cacheStore(const std::string &key, const nlohmann::json &outputs, const std::string &runId,
                            const std::string &taskId);

    // Runs whose engine process is gone become interrupted, and their
    // running tasks failed; the task processes left behind are killed.
    Result<int> markInterrupted();

private:
    RunStore(std::unique_ptr<RunStoreFile> file, std::string dataDir);
    Result<bool> exec(const char *sql);
    Result<bool> migrate();
    Result<std::string> runColumn(const std::string &runId, const char *column);
    Error dbError(const std::string &what) const;
    Error dbError(const std::string &what, const SqlStatement &statement) const;

    std::unique_ptr<RunStoreFile> m_file;
    sqlite3 *m_db = nullptr;
    std::string m_dataDir;
};

} // namespace pw
