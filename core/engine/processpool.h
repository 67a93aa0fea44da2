// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

struct LaunchSpec {
    std::vector<std::string> argv;  // argv[0] is looked up on PATH unless it holds a '/'
    std::vector<std::string> env;   // "NAME=value", the whole environment
    std::string workDir;
    std::string logPath;            // created on the first line of output
    std::string owner;              // "<run>/<task>": what ends with the task (engine/strayprocesses.h)
};

// Task processes, without a shell: fork/exec with argv as given, each in its
// own process group (so a timeout or cancel stops everything a task started),
// stdin from /dev/null, stdout and stderr through pipes into a log file with
// a UTC timestamp per line. One poll() loop watches every child (pidfds for
// exits), which keeps the cost per task near that of a shell spawning it.
// Children get SIGKILL if the engine dies (parent-death signal), so a killed
// engine does not leave tasks running behind its back; when a task's process
// ends, whatever it started ends too (see engine/strayprocesses.h).
class ProcessPool final {
public:
    ProcessPool();
    ~ProcessPool(); // kills what still runs
    ProcessPool(const ProcessPool &) = delete;
    ProcessPool &operator=(const ProcessPool &) = delete;

    // Starts a process for the caller's `tag`; returns its pid (= process group).
    Result<long> start(int tag, const LaunchSpec &spec);

    struct Exit {
        int tag = 0;
        int exitCode = -1; // -1 when killed by a signal
        int signal = 0;
    };
    using LineHandler = std::function<void(int tag, bool isStderr, std::string_view line)>;
    // Waits up to timeoutMs (or until wake()) for output and exits.
    std::vector<Exit> wait(int timeoutMs, const LineHandler &onLine);

    void signalGroup(int tag, int signal);
    std::size_t running() const { return m_procs.size(); }

    // Interrupts wait() from another thread or a signal handler.
    void wake();

    // "2024-06-03T04:05:06.789Z", the prefix of every log line.
    static std::string timestamp();

private:
    struct Proc;
    void readFrom(Proc &p, int fd, bool isStderr, const LineHandler &onLine);
    void emitLine(Proc &p, bool isStderr, std::string_view line, const LineHandler &onLine);
    void finish(Proc &p, const LineHandler &onLine);
    std::string resolve(const std::string &program, const std::vector<std::string> &env);
    static Result<bool> checkArgumentSizes(const LaunchSpec &spec);

    std::map<int, Proc *> m_procs;
    std::map<std::string, std::string> m_resolved;
    int m_devNull = -1;
    int m_wakeFd = -1;
};

} // namespace pw
