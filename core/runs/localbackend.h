// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backend.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace pw {

class Engine;
class RunStore;

// The embedded engine behind the Backend interface. Each submitted run
// executes on its own thread with its own store connection; reads go to the
// store, so runs started by other processes (the CLI) show up as well. A GUI
// gets live progress from the signals and full details from getRun().
class LocalBackend final : public Backend {
    Q_OBJECT

public:
    // dataDir: the run store's directory (default: RunStore::defaultDataDir()).
    explicit LocalBackend(std::string dataDir = {}, QObject *parent = nullptr);
    ~LocalBackend() override; // cancels and waits for runs still going

    QString name() const override { return QStringLiteral("local"); }
    Result<std::string> submit(const RunRequest &request) override;
    Result<std::vector<RunGraph>> listRuns() override;
    Result<RunGraph> getRun(const std::string &runId) override;
    Result<std::string> logs(const std::string &runId, const std::string &taskId) override;
    Result<bool> cancel(const std::string &runId) override;
    Result<std::string> resume(const std::string &runId) override;

    // Blocks until the runs this backend started have ended (tests, shutdown).
    void waitForAll();

private:
    struct Active;
    Result<RunStore *> readStore();
    Result<std::string> start(const std::function<Result<std::string>(Engine &)> &prepare);
    void reap();

    std::string m_dataDir;
    std::unique_ptr<RunStore> m_readStore; // used on the caller's thread only
    std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<Active>> m_active;
};

} // namespace pw
