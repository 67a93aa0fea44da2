// SPDX-License-Identifier: Apache-2.0
#include "engine/runstore.h"

#include "engine/localrecords.h"
#include "engine/runstorefile.h"
#include "engine/sqlitestatement.h"
#include "engine/strayprocesses.h"

#include "util/processidentity.h"

#include <QStandardPaths>

#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <signal.h>

namespace pw {

namespace {

constexpr int kSchemaVersion = 1;

const char *kSchema = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, name TEXT, pipeline TEXT, state TEXT NOT NULL,
    created_ms INTEGER, finished_ms INTEGER, parameters TEXT, run_dir TEXT, work_dir TEXT,
    message TEXT, spec TEXT, options TEXT,
    engine_pid INTEGER, engine_start TEXT, cancel_requested INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tasks (
    run_id TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER, name TEXT, display_name TEXT, parent TEXT,
    kind TEXT, state TEXT NOT NULL, attempts INTEGER, started_ms INTEGER, finished_ms INTEGER,
    inputs TEXT, outputs TEXT, log_path TEXT, message TEXT, depends TEXT, cache_key TEXT,
    pid INTEGER, pid_start TEXT,
    PRIMARY KEY (run_id, id));
CREATE TABLE IF NOT EXISTS artifacts (
    run_id TEXT NOT NULL, task_id TEXT NOT NULL, name TEXT, path TEXT, uri TEXT, type TEXT,
    visualization TEXT, metadata TEXT);
CREATE INDEX IF NOT EXISTS artifacts_run ON artifacts (run_id, task_id);
CREATE TABLE IF NOT EXISTS metrics (
    run_id TEXT NOT NULL, task_id TEXT NOT NULL, name TEXT, value REAL, format TEXT);
CREATE INDEX IF NOT EXISTS metrics_run ON metrics (run_id, task_id);
CREATE TABLE IF NOT EXISTS cache (
    key TEXT PRIMARY KEY, outputs TEXT NOT NULL, run_id TEXT, task_id TEXT, created_ms INTEGER);
)sql";

RunGraph runFromRow(const SqlStatement &s)
{
    // Column order of kRunColumns.
    RunGraph r;
    r.id = s.text(0);
    r.name = s.text(1);
    r.pipelineName = s.text(2);
    r.state = runStateFromString(s.text(3)).value_or(RunState::Failed);
    r.createdMs = s.integer(4);
    r.finishedMs = s.integer(5);
    r.parameters = s.json(6);
    local::setDirs(r, s.text(7), s.text(8));
    r.message = s.text(9);
    return r;
}

constexpr const char *kRunColumns =
    "id, name, pipeline, state, created_ms, finished_ms, parameters, run_dir, work_dir, message";

} // namespace

RunStore::RunStore(std::unique_ptr<RunStoreFile> file, std::string dataDir)
    : m_file(std::move(file)), m_db(m_file->db()), m_dataDir(std::move(dataDir))
{
}

RunStore::~RunStore() = default;

std::string RunStore::defaultDataDir()
{
    // $XDG_DATA_HOME when it is set and absolute, else ~/.local/share.
    return (QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + "/pipewright").toStdString();
}

Error RunStore::dbError(const std::string &what) const
{
    Error e;
    e.message = what + ": " + sqlite3_errmsg(m_db);
    e.where.file = m_dataDir + "/runs.db";
    return e;
}

Error RunStore::dbError(const std::string &what, const SqlStatement &statement) const
{
    Error e;
    e.message = what + ": " + statement.error();
    if (statement.damaged()) {
        markRunStoreDamaged(m_dataDir);
        e.message += ". The run store is damaged; " + runStoreRecoveryHint(m_dataDir);
    }
    e.where.file = m_dataDir + "/runs.db";
    return e;
}

Result<bool> RunStore::exec(const char *sql)
{
    char *err = nullptr;
    if (const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &err); rc != SQLITE_OK) {
        Error e{std::string("run store: ") + (err ? err : "error"), {}};
        if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
            markRunStoreDamaged(m_dataDir);
            e.message += ". The run store is damaged; " + runStoreRecoveryHint(m_dataDir);
        }
        e.where.file = m_dataDir + "/runs.db";
        sqlite3_free(err);
        return e;
    }
    return true;
}

Result<std::unique_ptr<RunStore>> RunStore::open(const std::string &dataDir)
{
    std::error_code ec;
    std::filesystem::create_directories(dataDir + "/runs", ec);
    if (ec)
        return Error{"cannot create the run store directory: " + ec.message(), {dataDir, 0, 0, {}, {}}};
    // WAL (set when the file is created): readers never block the engine;
    // NORMAL sync keeps commits cheap and never corrupts the database when a
    // process is killed.
    auto file = RunStoreFile::open(dataDir, kSchema);
    if (!file.ok())
        return file.error();
    std::unique_ptr<RunStore> store(new RunStore(std::unique_ptr<RunStoreFile>(*file), dataDir));
    if (auto r = store->exec("PRAGMA synchronous=NORMAL;"); !r.ok())
        return r.error();
    if (auto r = store->migrate(); !r.ok())
        return r.error();
    return store;
}

Result<bool> RunStore::migrate()
{
    SqlTransaction tx(m_db);
    if (!tx.ok())
        return dbError("cannot lock the run store");
    if (auto r = exec(kSchema); !r.ok())
        return r;
    SqlStatement get(m_db, "SELECT version FROM schema_version");
    if (get.next()) {
        if (get.integer(0) > kSchemaVersion)
            return Error{"the run store was written by a newer Pipewright (schema " + std::to_string(get.integer(0)) +
                             ")",
                         {m_dataDir + "/runs.db", 0, 0, {}, {}}};
    } else {
        SqlStatement put(m_db, "INSERT INTO schema_version (version) VALUES (?)");
        put.bind(1, static_cast<std::int64_t>(kSchemaVersion));
        if (!put.run())
            return dbError("cannot write the schema version", put);
    }
    if (!tx.commit())
        return dbError("cannot create the run store");
    return true;
}

Result<bool> RunStore::createRun(const RunGraph &run, const std::string &specYaml, const nlohmann::json &options)
{
    SqlStatement s(
        m_db,
        "INSERT INTO runs (id, name, pipeline, state, created_ms, finished_ms, parameters, run_dir, "
        "work_dir, message, spec, options, engine_pid, engine_start) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, run.id).bind(2, run.name).bind(3, run.pipelineName).bind(4, std::string(toString(run.state)));
    s.bind(5, run.createdMs).bind(6, run.finishedMs).bind(7, run.parameters).bind(8, local::runDir(run));
    s.bind(9, local::workDir(run)).bind(10, run.message).bind(11, specYaml).bind(12, options);
    // The creator owns the run until an engine claims it, so it never looks interrupted in between.
    s.bind(13, static_cast<std::int64_t>(currentPid())).bind(14, processStartToken(currentPid()));
    if (!s.run())
        return dbError("cannot record the run", s);
    return true;
}

Result<bool> RunStore::claimRun(const std::string &runId, RunState from)
{
    SqlStatement s(m_db, "UPDATE runs SET engine_pid = ?, engine_start = ?, cancel_requested = 0, "
                         "state = 'running', finished_ms = 0, message = '' WHERE id = ? AND state = ?");
    s.bind(1, static_cast<std::int64_t>(currentPid())).bind(2, processStartToken(currentPid())).bind(3, runId);
    if (!s.bind(4, std::string(toString(from))).run())
        return dbError("cannot claim the run", s);
    if (sqlite3_changes(m_db) == 1)
        return true;
    SqlStatement now(m_db, "SELECT state, engine_pid FROM runs WHERE id = ?");
    if (!now.bind(1, runId).next())
        return now.failed() ? dbError("cannot read run " + runId, now) : Error{"no run '" + runId + "'", {}};
    if (now.text(0) == "running" || now.text(0) == "pending")
        return Error{"run " + runId + " is already being run or resumed (by process " +
                         std::to_string(now.integer(1)) + ")",
                     {}};
    return Error{"run " + runId + " changed from " + std::string(toString(from)) + " to " + now.text(0) +
                     " meanwhile; look at it again before resuming",
                 {}};
}

Result<bool> RunStore::write(const std::string &runId, const Batch &batch)
{
    if (batch.empty())
        return true;
    SqlTransaction tx(m_db);
    if (!tx.ok())
        return dbError("cannot lock the run store");
    if (batch.runState) {
        SqlStatement s(m_db, "UPDATE runs SET state = ?, finished_ms = ?, message = ? WHERE id = ?");
        s.bind(1, std::string(toString(*batch.runState))).bind(2, batch.runFinishedMs).bind(3, batch.runMessage);
        if (!s.bind(4, runId).run())
            return dbError("cannot update the run", s);
    }
    if (!batch.tasks.empty()) {
        SqlStatement s(
            m_db,
            "INSERT OR REPLACE INTO tasks (run_id, id, seq, name, display_name, parent, kind, state, "
            "attempts, started_ms, finished_ms, inputs, outputs, log_path, message, depends, cache_key, "
            "pid, pid_start) VALUES (?,?,COALESCE((SELECT seq FROM tasks WHERE run_id = ?1 AND id = ?2), "
            "(SELECT COUNT(*) FROM tasks WHERE run_id = ?1)),?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        for (std::size_t i = 0; i < batch.tasks.size(); ++i) {
            const TaskRecord &t = batch.tasks[i];
            const std::int64_t pid = i < batch.pids.size() ? batch.pids[i] : 0;
            s.bind(1, runId).bind(2, t.id).bind(3, t.name).bind(4, t.displayName).bind(5, t.parent);
            s.bind(6, t.kind).bind(7, std::string(toString(t.state))).bind(8, static_cast<std::int64_t>(t.attempts));
            s.bind(9, t.startedMs).bind(10, t.finishedMs).bind(11, t.inputs).bind(12, t.outputs);
            s.bind(13, local::logPath(t)).bind(14, t.message).bind(15, nlohmann::json(t.dependsOn)).bind(16, t.cacheKey);
            s.bind(17, pid).bind(18, pid > 0 ? processStartToken(pid) : std::string());
            if (!s.run())
                return dbError("cannot record task " + t.id, s);
        }
    }
    if (!batch.artifacts.empty()) {
        SqlStatement del(m_db, "DELETE FROM artifacts WHERE run_id = ? AND task_id = ?");
        SqlStatement s(
            m_db, "INSERT INTO artifacts (run_id, task_id, name, path, uri, type, visualization, metadata) "
                  "VALUES (?,?,?,?,?,?,?,?)");
        std::string last;
        for (const ArtifactRecord &a : batch.artifacts) {
            if (a.task != last && !del.bind(1, runId).bind(2, a.task).run())
                return dbError("cannot replace artifacts", del);
            last = a.task;
            s.bind(1, runId).bind(2, a.task).bind(3, a.name).bind(4, local::path(a)).bind(5, a.uri).bind(6, a.type);
            if (!s.bind(7, a.visualization).bind(8, a.metadata).run())
                return dbError("cannot record artifact " + a.name, s);
        }
    }
    if (!batch.metrics.empty()) {
        SqlStatement del(m_db, "DELETE FROM metrics WHERE run_id = ? AND task_id = ?");
        SqlStatement s(m_db, "INSERT INTO metrics (run_id, task_id, name, value, format) VALUES (?,?,?,?,?)");
        std::string last;
        for (const MetricRecord &m : batch.metrics) {
            if (m.task != last && !del.bind(1, runId).bind(2, m.task).run())
                return dbError("cannot replace metrics", del);
            last = m.task;
            if (!s.bind(1, runId).bind(2, m.task).bind(3, m.name).bind(4, m.value).bind(5, m.format).run())
                return dbError("cannot record metric " + m.name, s);
        }
    }
    if (!tx.commit())
        return dbError("cannot commit run changes");
    return true;
}

Result<int> RunStore::markInterrupted()
{
    SqlStatement find(m_db,
                      "SELECT id, engine_pid, engine_start FROM runs WHERE state IN ('pending', 'running')");
    std::vector<std::string> dead;
    while (find.next())
        if (!processMatches(static_cast<long>(find.integer(1)), find.text(2)))
            dead.push_back(find.text(0));
    if (find.failed())
        return dbError("cannot read the runs", find);
    if (dead.empty())
        return 0;
    SqlTransaction tx(m_db);
    if (!tx.ok())
        return dbError("cannot lock the run store");
    SqlStatement run(m_db, "UPDATE runs SET state = 'interrupted', finished_ms = ?, message = ? WHERE id = ? "
                           "AND state IN ('pending', 'running')");
    SqlStatement orphans(
        m_db, "SELECT pid, pid_start FROM tasks WHERE run_id = ? AND state = 'running' AND pid > 0");
    SqlStatement tasks(
        m_db, "UPDATE tasks SET state = 'failed', finished_ms = ?, pid = 0, "
              "message = 'the engine stopped while this task ran' WHERE run_id = ? AND state = 'running'");
    for (const std::string &id : dead) {
        // Task processes normally die with their engine (parent-death
        // signal); a grandchild that escaped is stopped here, but only if
        // its process group is still the one the engine started.
        orphans.bind(1, id);
        while (orphans.next())
            if (processMatches(static_cast<long>(orphans.integer(0)), orphans.text(1)))
                ::kill(-static_cast<pid_t>(orphans.integer(0)), SIGKILL);
        orphans.reset();
        strays::endAnywhere(id + "/"); // those that left their group (setsid) too
        run.bind(1, epochMs()).bind(2, std::string("the engine stopped before the run finished; resume it with "
                                                 "`pipewright resume`"));
        if (orphans.failed() || !run.bind(3, id).run() || !tasks.bind(1, epochMs()).bind(2, id).run())
            return dbError("cannot mark run " + id + " interrupted", orphans.failed() ? orphans
                                                                     : run.failed()   ? run
                                                                                      : tasks);
    }
    if (!tx.commit())
        return dbError("cannot commit interrupted runs");
    return static_cast<int>(dead.size());
}

Result<std::vector<RunGraph>> RunStore::listRuns()
{
    if (auto r = markInterrupted(); !r.ok())
        return r.error();
    SqlStatement s(
        m_db, (std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY created_ms DESC, id").c_str());
    std::vector<RunGraph> runs;
    while (s.next())
        runs.push_back(runFromRow(s));
    if (s.failed())
        return dbError("cannot read the runs", s);
    return runs;
}

Result<std::string> RunStore::resolveRunId(const std::string &idOrPrefix)
{
    SqlStatement s(
        m_db, "SELECT id FROM runs WHERE id = ?1 OR substr(id, 1, length(?1)) = ?1 OR name = ?1 LIMIT 3");
    s.bind(1, idOrPrefix);
    std::vector<std::string> found;
    while (s.next())
        found.push_back(s.text(0));
    if (s.failed())
        return dbError("cannot read the runs", s);
    for (const std::string &id : found)
        if (id == idOrPrefix)
            return id;
    if (found.size() == 1 && !idOrPrefix.empty())
        return found.front();
    return Error{found.empty() ? "no run '" + idOrPrefix + "' (see pipewright runs)"
                               : "'" + idOrPrefix + "' names more than one run; give more of the id",
                 {}};
}

Result<RunGraph> RunStore::loadRun(const std::string &runId)
{
    if (auto r = markInterrupted(); !r.ok())
        return r.error();
    SqlStatement s(m_db, (std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?").c_str());
    s.bind(1, runId);
    if (!s.next())
        return s.failed() ? dbError("cannot read run " + runId, s) : Error{"no run '" + runId + "'", {}};
    RunGraph run = runFromRow(s);

    SqlStatement t(
        m_db,
        "SELECT id, name, display_name, parent, kind, state, attempts, started_ms, finished_ms, inputs, "
        "outputs, log_path, message, depends, cache_key FROM tasks WHERE run_id = ? ORDER BY seq");
    t.bind(1, runId);
    while (t.next()) {
        TaskRecord r;
        r.id = t.text(0);
        r.name = t.text(1);
        r.displayName = t.text(2);
        r.parent = t.text(3);
        r.kind = t.text(4);
        r.state = taskStateFromString(t.text(5)).value_or(TaskState::Failed);
        r.attempts = static_cast<int>(t.integer(6));
        r.startedMs = t.integer(7);
        r.finishedMs = t.integer(8);
        r.inputs = t.json(9);
        r.outputs = t.json(10);
        local::setLogPath(r, t.text(11));
        r.message = t.text(12);
        for (const auto &d : t.json(13, nlohmann::json::array()))
            if (d.is_string())
                r.dependsOn.push_back(d.get<std::string>());
        r.cacheKey = t.text(14);
        run.tasks.push_back(std::move(r));
    }
    SqlStatement a(
        m_db,
        "SELECT task_id, name, path, uri, type, visualization, metadata FROM artifacts WHERE run_id = ? "
        "ORDER BY rowid");
    a.bind(1, runId);
    while (a.next())
        run.artifacts.push_back(
            {a.text(0), a.text(1), a.text(3), a.text(4), a.text(5), a.json(6), {{"path", a.text(2)}}});
    SqlStatement m(m_db, "SELECT task_id, name, value, format FROM metrics WHERE run_id = ? ORDER BY rowid");
    m.bind(1, runId);
    while (m.next())
        run.metrics.push_back({m.text(0), m.text(1), m.real(2), m.text(3)});
    for (const SqlStatement *read : {&t, &a, &m})
        if (read->failed())
            return dbError("cannot read run " + runId, *read);
    return run;
}

Result<std::string> RunStore::runColumn(const std::string &runId, const char *column)
{
    SqlStatement s(m_db, (std::string("SELECT ") + column + " FROM runs WHERE id = ?").c_str());
    s.bind(1, runId);
    if (!s.next())
        return s.failed() ? dbError("cannot read run " + runId, s) : Error{"no run '" + runId + "'", {}};
    return s.text(0);
}

Result<std::string> RunStore::runSpec(const std::string &runId) { return runColumn(runId, "spec"); }

Result<nlohmann::json> RunStore::runOptions(const std::string &runId)
{
    auto text = runColumn(runId, "options");
    if (!text.ok())
        return text.error();
    auto j = nlohmann::json::parse(*text, nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();
}

Result<RunState> RunStore::requestCancel(const std::string &runId)
{
    if (auto r = markInterrupted(); !r.ok())
        return r.error();
    SqlTransaction tx(m_db);
    if (!tx.ok())
        return dbError("cannot lock the run store");
    SqlStatement get(m_db, "SELECT state FROM runs WHERE id = ?");
    get.bind(1, runId);
    if (!get.next())
        return get.failed() ? dbError("cannot read run " + runId, get) : Error{"no run '" + runId + "'", {}};
    const RunState state = runStateFromString(get.text(0)).value_or(RunState::Failed);
    if (state == RunState::Interrupted) {
        // Nobody runs it: cancelling only records that it will not be resumed.
        SqlStatement s(m_db, "UPDATE runs SET state = 'cancelled', cancel_requested = 1 WHERE id = ?");
        if (!s.bind(1, runId).run())
            return dbError("cannot cancel the run", s);
    } else if (!isTerminal(state)) {
        SqlStatement s(m_db, "UPDATE runs SET cancel_requested = 1 WHERE id = ?");
        if (!s.bind(1, runId).run())
            return dbError("cannot cancel the run", s);
    }
    if (!tx.commit())
        return dbError("cannot cancel the run");
    return state == RunState::Interrupted ? RunState::Cancelled : state;
}

bool RunStore::cancelRequested(const std::string &runId)
{
    SqlStatement s(m_db, "SELECT cancel_requested FROM runs WHERE id = ?");
    s.bind(1, runId);
    return s.next() && s.integer(0) != 0;
}

std::optional<nlohmann::json> RunStore::cacheLookup(const std::string &key)
{
    SqlStatement s(m_db, "SELECT outputs FROM cache WHERE key = ?");
    s.bind(1, key);
    if (!s.next())
        return std::nullopt;
    auto j = s.json(0, nullptr);
    if (j.is_null())
        return std::nullopt;
    return j;
}

Result<bool> RunStore::cacheStore(const std::string &key, const nlohmann::json &outputs, const std::string &runId,
                                  const std::string &taskId)
{
    SqlStatement s(
        m_db, "INSERT OR REPLACE INTO cache (key, outputs, run_id, task_id, created_ms) VALUES (?,?,?,?,?)");
    if (!s.bind(1, key).bind(2, outputs).bind(3, runId).bind(4, taskId).bind(5, epochMs()).run())
        return dbError("cannot record the cache entry", s);
    return true;
}

} // namespace pw
