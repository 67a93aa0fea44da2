// SPDX-License-Identifier: Apache-2.0
#include "engine/strayprocesses.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pw::strays {

namespace {

namespace fs = std::filesystem;

// At most `limit` bytes of a /proc file, read as they come (these files are
// small; this runs for every child at every task's end).
std::string readProc(const std::string &path, std::size_t limit)
{
    std::ifstream in(path, std::ios::binary);
    std::string text;
    char buf[4096];
    while (text.size() < limit && in.read(buf, sizeof buf).gcount() > 0)
        text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit)
        text.resize(limit);
    return text;
}

// The children of every thread of `pid` (a subreaper's orphans may land on any).
std::vector<pid_t> childrenOf(pid_t pid)
{
    std::vector<pid_t> out;
    std::error_code ec;
    for (const auto &task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::istringstream list(readProc(task.path().string() + "/children", 1 << 16));
        long child = 0;
        while (list >> child)
            out.push_back(static_cast<pid_t>(child));
    }
    return out;
}

void subtree(pid_t root, std::vector<pid_t> &out)
{
    out.push_back(root);
    for (pid_t child : childrenOf(root))
        subtree(child, out);
}

// The value of PIPEWRIGHT_TASK in a process's environment ("" when unset or unreadable).
std::string ownerOf(pid_t pid)
{
    const std::string env = readProc("/proc/" + std::to_string(pid) + "/environ", 1 << 20);
    const std::string key = std::string(kVariable) + "=";
    std::size_t start = 0;
    while (start < env.size()) {
        std::size_t end = env.find('\0', start);
        if (end == std::string::npos)
            end = env.size();
        if (env.compare(start, key.size(), key) == 0)
            return env.substr(start + key.size(), end - start - key.size());
        start = end + 1;
    }
    return {};
}

// A zombie in process group `group` (field 5 of /proc/PID/stat, which a
// zombie keeps): a process of the task that ended on its own.
bool isZombieOfGroup(pid_t pid, long group)
{
    const std::string stat = readProc("/proc/" + std::to_string(pid) + "/stat", 4096);
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos)
        return false;
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    long ppid = 0, pgrp = -1;
    rest >> state >> ppid >> pgrp;
    return state == "Z" && pgrp == group;
}

// Waits for killed processes to be gone: our children are reaped; others are
// reaped by their parent, or re-parented to us when it dies, then reaped.
void reap(std::set<pid_t> pending)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!pending.empty() && std::chrono::steady_clock::now() < deadline) {
        for (auto it = pending.begin(); it != pending.end();) {
            const pid_t r = ::waitpid(*it, nullptr, WNOHANG);
            const bool gone =
                r == *it || (r < 0 && errno == ECHILD && !fs::exists("/proc/" + std::to_string(*it)));
            it = gone ? pending.erase(it) : std::next(it);
        }
        if (!pending.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

} // namespace

std::string ownerEntry(const std::string &owner)
{
    return std::string(kVariable) + "=" + owner;
}

void becomeSubreaper()
{
    static const bool done = [] { return ::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0; }();
    (void)done;
}

int endBelow(const std::string &owner, long group)
{
    const pid_t self = ::getpid();
    std::set<pid_t> killed;
    // A stray may fork while we look: look again until a pass finds nothing.
    for (int pass = 0; pass < 100; ++pass) {
        std::vector<pid_t> targets;
        for (pid_t child : childrenOf(self)) {
            if (killed.count(child))
                continue;
            if (ownerOf(child) == owner)
                subtree(child, targets);
            else if (group > 0 && isZombieOfGroup(child, group))
                targets.push_back(child); // ended on its own just before we looked
        }
        std::erase_if(targets, [&](pid_t p) { return killed.count(p) != 0; });
        if (targets.empty())
            break;
        for (pid_t p : targets) {
            ::kill(p, SIGKILL);
            killed.insert(p);
        }
    }
    reap(killed);
    return static_cast<int>(killed.size());
}

int endAnywhere(const std::string &ownerPrefix)
{
    if (ownerPrefix.empty())
        return 0;
    int count = 0;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const pid_t pid = static_cast<pid_t>(std::atol(name.c_str()));
        if (pid == ::getpid())
            continue;
        if (ownerOf(pid).rfind(ownerPrefix, 0) == 0 && ::kill(pid, SIGKILL) == 0)
            ++count;
    }
    return count;
}

} // namespace pw::strays
