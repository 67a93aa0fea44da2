// SPDX-License-Identifier: Apache-2.0
#include "util/filewrite.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pw {

namespace {

Error failure(const std::string &path, const std::string &what)
{
    Error e;
    e.message = what + ": " + std::strerror(errno);
    e.where.file = path;
    return e;
}

bool writeAll(int fd, std::string_view text)
{
    while (!text.empty()) {
        const ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

Result<bool> writeInPlace(const std::string &path, std::string_view text)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return failure(path, "cannot open for writing");
    const bool ok = writeAll(fd, text);
    const int saved = errno;
    ::close(fd);
    errno = saved;
    if (!ok)
        return failure(path, "cannot write");
    return true;
}

// The process's umask, read without changing it (umask() would, for a moment,
// for every thread).
unsigned currentUmask()
{
    unsigned mask = 022;
    if (FILE *f = std::fopen("/proc/self/status", "re")) {
        char line[256];
        while (std::fgets(line, sizeof line, f))
            if (std::sscanf(line, "Umask: %o", &mask) == 1)
                break;
        std::fclose(f);
    }
    return mask;
}

} // namespace

Result<bool> writeFileAtomically(const std::string &path, std::string_view text, unsigned mode)
{
    // A symlink stands for the file it names: replace that file, not the link.
    std::string target = path;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
        char resolved[PATH_MAX];
        if (!::realpath(path.c_str(), resolved))
            return failure(path, "cannot follow the link");
        target = resolved;
    }
    const bool exists = ::stat(target.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return failure(path, "cannot write");
    }
    if (exists && !S_ISREG(st.st_mode))
        return writeInPlace(target, text);

    std::string tmp = target + ".XXXXXX";
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0)
        return failure(path, "cannot create a file beside it");
    ::fchmod(fd, exists ? (st.st_mode & 07777) : (mode & ~currentUmask()));
    bool ok = writeAll(fd, text) && ::fsync(fd) == 0;
    const int saved = errno;
    ok = ::close(fd) == 0 && ok;
    if (!ok) {
        ::unlink(tmp.c_str());
        errno = saved;
        return failure(path, "cannot write");
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        errno = err;
        return failure(path, "cannot replace");
    }
    return true;
}

} // namespace pw
