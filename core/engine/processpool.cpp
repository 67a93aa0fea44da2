// SPDX-License-Identifier: Apache-2.0
#include "engine/processpool.h"

#include "engine/strayprocesses.h"

#include <cerrno>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pw {

struct ProcessPool::Proc {
    int tag = 0;
    pid_t pid = 0;
    int out = -1, err = -1, pidfd = -1;
    int log = -1;
    std::string logPath;
    std::string pendingOut, pendingErr; // partial lines
    bool exited = false;
    int status = 0;
    std::string owner;
};

namespace {

int pidfdOpen(pid_t pid)
{
#ifdef SYS_pidfd_open
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
    (void)pid;
    return -1;
#endif
}

void closeFd(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

// Only async-signal-safe calls between fork and exec.
void writeAll(int fd, const char *s)
{
    ssize_t n = static_cast<ssize_t>(std::strlen(s));
    while (n > 0) {
        ssize_t w = ::write(fd, s, static_cast<size_t>(n));
        if (w <= 0)
            return;
        s += w;
        n -= w;
    }
}

} // namespace

ProcessPool::ProcessPool()
{
    m_devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    strays::becomeSubreaper();
}

ProcessPool::~ProcessPool()
{
    for (auto &[tag, p] : m_procs) {
        ::kill(-p->pid, SIGKILL);
        ::waitpid(p->pid, nullptr, 0);
        if (!p->owner.empty())
            strays::endBelow(p->owner, p->pid);
        closeFd(p->out);
        closeFd(p->err);
        closeFd(p->pidfd);
        closeFd(p->log);
        delete p;
    }
    closeFd(m_devNull);
    closeFd(m_wakeFd);
}

void ProcessPool::wake()
{
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_wakeFd, &one, sizeof one);
}

std::string ProcessPool::timestamp()
{
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    tm t{};
    ::gmtime_r(&ts.tv_sec, &t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                  t.tm_hour, t.tm_min, t.tm_sec, ts.tv_nsec / 1000000);
    return buf;
}

std::string ProcessPool::resolve(const std::string &program, const std::vector<std::string> &env)
{
    if (program.find('/') != std::string::npos)
        return program;
    if (auto it = m_resolved.find(program); it != m_resolved.end())
        return it->second;
    std::string path = "/usr/local/bin:/usr/bin:/bin";
    for (const std::string &e : env)
        if (e.rfind("PATH=", 0) == 0)
            path = e.substr(5);
    std::string found;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find(':', start);
        if (end == std::string::npos)
            end = path.size();
        std::string dir = path.substr(start, end - start);
        std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
            found = candidate;
            break;
        }
        start = end + 1;
    }
    m_resolved[program] = found;
    return found;
}

Result<bool> ProcessPool::checkArgumentSizes(const LaunchSpec &spec)
{
    // Linux refuses (E2BIG) one argument or variable of 32 pages (128 KiB)
    // or more, and everything together above ARG_MAX less the stack's reserve.
    constexpr std::size_t kMaxOne = 32 * 4096;
    std::size_t total = 0;
    for (std::size_t i = 0; i < spec.argv.size(); ++i) {
        const std::string &a = spec.argv[i];
        if (a.size() + 1 > kMaxOne)
            return Error{
                "argument " + std::to_string(i) + " of the command ('" + a.substr(0, 40) + "...') is " +
                    std::to_string(a.size() / 1024) +
                    " KiB; Linux passes at most 128 KiB in one argument: pass large values as a file "
                    "(an inputPath) instead of a value",
                {}};
        total += a.size() + 1 + sizeof(char *);
    }
    for (const std::string &e : spec.env) {
        if (e.size() + 1 > kMaxOne)
            return Error{"environment variable " + e.substr(0, e.find('=')) + " is " +
                             std::to_string(e.size() / 1024) +
                             " KiB; Linux passes at most 128 KiB in one variable",
                         {}};
        total += e.size() + 1 + sizeof(char *);
    }
    const long argMax = ::sysconf(_SC_ARG_MAX);
    if (argMax > 0 && total > static_cast<std::size_t>(argMax) - 4096)
        return Error{"the command and its environment are " + std::to_string(total / 1024) +
                         " KiB; Linux allows " + std::to_string(argMax / 1024) +
                         " KiB: pass large values as files (inputPath)",
                     {}};
    return true;
}

Result<long> ProcessPool::start(int tag, const LaunchSpec &spec)
{
    if (spec.argv.empty())
        return Error{"the task has no command", {}};
    const std::string exe = resolve(spec.argv.front(), spec.env);
    if (exe.empty())
        return Error{"command '" + spec.argv.front() + "' was not found on PATH", {}};
    if (auto tooLong = checkArgumentSizes(spec); !tooLong.ok())
        return tooLong.error();

    // Everything the child needs is prepared here: after fork it may only
    // make async-signal-safe calls.
    std::vector<char *> argv, envp;
    for (const std::string &a : spec.argv)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    for (const std::string &e : spec.env)
        envp.push_back(const_cast<char *>(e.c_str()));
    const std::string ownerEntry = strays::ownerEntry(spec.owner);
    if (!spec.owner.empty())
        envp.push_back(const_cast<char *>(ownerEntry.c_str()));
    envp.push_back(nullptr);
    const std::string execFailed = "pipewright: cannot execute " + exe + "\n";
    const std::string chdirFailed = "pipewright: cannot enter the working directory " + spec.workDir + "\n";

    int outPipe[2], errPipe[2];
    if (::pipe2(outPipe, O_CLOEXEC) != 0)
        return Error{std::string("cannot create a pipe: ") + std::strerror(errno), {}};
    if (::pipe2(errPipe, O_CLOEXEC) != 0) {
        ::close(outPipe[0]);
        ::close(outPipe[1]);
        return Error{std::string("cannot create a pipe: ") + std::strerror(errno), {}};
    }
    const pid_t parent = ::getpid();
    // vfork: the child borrows our memory until execve, so starting a task
    // costs no page-table copy (fork's copy-on-write faults and TLB flushes
    // were most of the per-task overhead). The child only makes system calls
    // on data prepared above, as posix_spawn's child does.
    const pid_t pid = ::vfork();
    if (pid < 0) {
        for (int fd : {outPipe[0], outPipe[1], errPipe[0], errPipe[1]})
            ::close(fd);
        return Error{std::string("cannot start a process: ") + std::strerror(errno), {}};
    }
    if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(137);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD})
            ::signal(s, SIG_DFL);
        ::dup2(m_devNull, 0);
        ::dup2(outPipe[1], 1);
        ::dup2(errPipe[1], 2);
        if (!spec.workDir.empty() && ::chdir(spec.workDir.c_str()) != 0) {
            writeAll(2, chdirFailed.c_str());
            ::_exit(127);
        }
        ::execve(exe.c_str(), argv.data(), envp.data());
        writeAll(2, execFailed.c_str());
        ::_exit(127);
    }
    ::setpgid(pid, pid); // also here, so a signal sent right away reaches the group
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    auto *p = new Proc;
    p->tag = tag;
    p->pid = pid;
    p->out = outPipe[0];
    p->err = errPipe[0];
    ::fcntl(p->out, F_SETFL, O_NONBLOCK);
    ::fcntl(p->err, F_SETFL, O_NONBLOCK);
    p->pidfd = pidfdOpen(pid);
    p->logPath = spec.logPath;
    p->owner = spec.owner;
    m_procs[tag] = p;
    return static_cast<long>(pid);
}

void ProcessPool::signalGroup(int tag, int signal)
{
    if (auto it = m_procs.find(tag); it != m_procs.end() && !it->second->exited)
        ::kill(-it->second->pid, signal);
}

void ProcessPool::emitLine(Proc &p, bool isStderr, std::string_view line, const LineHandler &onLine)
{
    if (p.log < 0 && !p.logPath.empty())
        p.log = ::open(p.logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (p.log >= 0) {
        std::string text = timestamp();
        text += isStderr ? " err " : " out ";
        text.append(line);
        text += '\n';
        writeAll(p.log, text.c_str());
    }
    if (onLine)
        onLine(p.tag, isStderr, line);
}

void ProcessPool::readFrom(Proc &p, int fd, bool isStderr, const LineHandler &onLine)
{
    std::string &pending = isStderr ? p.pendingErr : p.pendingOut;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
            if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                closeFd(isStderr ? p.err : p.out);
                if (!pending.empty()) {
                    emitLine(p, isStderr, pending, onLine);
                    pending.clear();
                }
            }
            if (n < 0 && errno == EINTR)
                continue;
            return;
        }
        pending.append(buf, static_cast<std::size_t>(n));
        std::size_t start = 0, nl;
        while ((nl = pending.find('\n', start)) != std::string::npos) {
            emitLine(p, isStderr, std::string_view(pending).substr(start, nl - start), onLine);
            start = nl + 1;
        }
        pending.erase(0, start);
    }
}

void ProcessPool::finish(Proc &p, const LineHandler &onLine)
{
    // Whatever the task wrote before exiting is in the pipes already; a
    // background grandchild still holding them open is not waited for.
    if (p.out >= 0)
        readFrom(p, p.out, false, onLine);
    if (p.err >= 0)
        readFrom(p, p.err, true, onLine);
    for (bool isErr : {false, true}) {
        std::string &pending = isErr ? p.pendingErr : p.pendingOut;
        if (!pending.empty())
            emitLine(p, isErr, pending, onLine);
        pending.clear();
    }
    closeFd(p.out);
    closeFd(p.err);
    closeFd(p.pidfd);
    closeFd(p.log);
}

std::vector<ProcessPool::Exit> ProcessPool::wait(int timeoutMs, const LineHandler &onLine)
{
    std::vector<pollfd> fds;
    std::vector<std::pair<Proc *, int>> owners; // which proc and which fd kind: 0 out, 1 err, 2 pidfd
    fds.push_back({m_wakeFd, POLLIN, 0});
    owners.emplace_back(nullptr, -1);
    bool needsReapPoll = false;
    for (auto &[tag, p] : m_procs) {
        if (p->out >= 0) {
            fds.push_back({p->out, POLLIN, 0});
            owners.emplace_back(p, 0);
        }
        if (p->err >= 0) {
            fds.push_back({p->err, POLLIN, 0});
            owners.emplace_back(p, 1);
        }
        if (p->pidfd >= 0) {
            fds.push_back({p->pidfd, POLLIN, 0});
            owners.emplace_back(p, 2);
        } else {
            needsReapPoll = true; // no pidfd (old kernel): check with waitpid now and then
        }
    }
    if (needsReapPoll && (timeoutMs < 0 || timeoutMs > 20))
        timeoutMs = 20;
    const int n = ::poll(fds.data(), fds.size(), timeoutMs);
    std::vector<Exit> exits;
    if (n > 0) {
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (!fds[i].revents)
                continue;
            auto [p, kind] = owners[i];
            if (!p) {
                std::uint64_t v;
                [[maybe_unused]] auto r = ::read(m_wakeFd, &v, sizeof v);
            } else if (kind == 0 && p->out >= 0) {
                readFrom(*p, p->out, false, onLine);
            } else if (kind == 1 && p->err >= 0) {
                readFrom(*p, p->err, true, onLine);
            }
        }
    }
    for (auto it = m_procs.begin(); it != m_procs.end();) {
        Proc *p = it->second;
        int status = 0;
        const pid_t r = ::waitpid(p->pid, &status, WNOHANG);
        if (r != p->pid) {
            ++it;
            continue;
        }
        // What the task left behind in its process group, or anywhere below
        // the engine with its name, ends with it.
        ::kill(-p->pid, SIGKILL);
        if (!p->owner.empty())
            strays::endBelow(p->owner, p->pid);
        finish(*p, onLine);
        Exit e;
        e.tag = p->tag;
        if (WIFEXITED(status)) {
            e.exitCode = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            e.signal = WTERMSIG(status);
        }
        exits.push_back(e);
        delete p;
        it = m_procs.erase(it);
    }
    return exits;
}

} // namespace pw
