// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backend.h"
#include "runs/backendfactory.h"

#include <map>

namespace pw::test {

// A test plugin: a backend whose "server" lives in memory and that, like a
// remote one, can only be asked. Every getRun moves a run one step on (a task
// starts, or the running one finishes), so tests advance runs by asking, not
// by waiting. Answers arrive on a later turn of the event loop.
class SimulatedBackend final : public Backend {
    Q_OBJECT

public:
    SimulatedBackend(QString name, int pollMs);

    QString name() const override { return m_name; }
    QString kind() const override { return QStringLiteral("simulated"); }
    Capabilities capabilities() const override { return Capability::Cancel | Capability::LogsFollow; }

    Future<ServerInfo> probe() override;
    Future<SubmittedRun> submit(const RunRequest &request) override;
    Future<RunListPage> listRuns(const RunQuery &query) override;
    Future<RunGraph> getRun(const std::string &runId) override;
    Future<std::string> logs(const std::string &runId, const std::string &taskId) override;
    std::unique_ptr<RunWatch> watch(const std::string &runId) override;
    Future<RunState> cancel(const std::string &runId) override;

private:
    struct Sim {
        RunGraph run;
        std::map<std::string, std::string> logs;
        bool cancelRequested = false;
    };
    template <typename T>
    Future<T> later(Result<T> result);
    void advance(Sim &sim);

    QString m_name;
    int m_pollMs;
    int m_next = 1;
    std::map<std::string, Sim> m_runs;
};

class SimulatedBackendFactory final : public QObject, public BackendFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID PW_BACKEND_FACTORY_IID FILE "plugin.json")
    Q_INTERFACES(pw::BackendFactory)

public:
    QString kind() const override { return QStringLiteral("simulated"); }
    QString description() const override { return QStringLiteral("in-memory stand-in for a remote server"); }
    std::vector<SettingSpec> settings() const override;
    Result<bool> check(const BackendConfig &config) const override;
    Result<std::unique_ptr<Backend>> create(const BackendConfig &config) const override;
};

} // namespace pw::test
