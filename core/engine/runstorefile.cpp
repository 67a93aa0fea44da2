// SPDX-License-Identifier: Apache-2.0
#include "engine/runstorefile.h"

#include "util/processidentity.h"

#include <sqlite3.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

namespace pw {

namespace {

namespace fs = std::filesystem;

Error storeError(const std::string &path, const std::string &message)
{
    Error e{message, {}};
    e.where.file = path;
    return e;
}

Result<sqlite3 *> openDb(const std::string &path, int flags)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return storeError(path, "cannot open the run store: " + why);
    }
    sqlite3_busy_timeout(db, 10000);
    return db;
}

// A new store: schema and WAL mode in a file of its own, then linked to
// runs.db only if that name is still free (link() never replaces a file).
// "<pid>-<n>": unique to one open in this process, several threads may open at once.
std::string uniqueSuffix()
{
    static std::atomic<unsigned> counter{0};
    return std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

Result<bool> createStore(const std::string &path, const char *schema)
{
    const std::string fresh = path + ".new-" + uniqueSuffix();
    fs::remove(fresh);
    auto db = openDb(fresh, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db.ok())
        return db.error();
    char *err = nullptr;
    const std::string sql = std::string("PRAGMA journal_mode=WAL; BEGIN; ") + schema + " COMMIT;";
    const int rc = sqlite3_exec(*db, sql.c_str(), nullptr, nullptr, &err);
    const std::string why = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(*db);
    if (rc != SQLITE_OK) {
        fs::remove(fresh);
        return storeError(path, "cannot create the run store: " + why);
    }
    const bool linked = ::link(fresh.c_str(), path.c_str()) == 0;
    const int linkErrno = errno;
    std::error_code ec;
    fs::remove(fresh, ec);
    fs::remove(fresh + "-wal", ec);
    fs::remove(fresh + "-shm", ec);
    if (!linked && linkErrno != EEXIST) // EEXIST: another process created it first, which is as good
        return storeError(path, std::string("cannot create the run store: ") + std::strerror(linkErrno));
    return true;
}

std::string markerDir(const std::string &dataDir)
{
    return dataDir + "/stores";
}

std::string damagedFlag(const std::string &dataDir)
{
    return markerDir(dataDir) + "/damaged";
}

std::string inodeOf(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino)
                                          : std::string();
}

// Whether runs.db is the file an earlier read found damaged.
bool knownDamaged(const std::string &dataDir)
{
    std::ifstream in(damagedFlag(dataDir));
    std::string inode;
    if (!std::getline(in, inode))
        return false;
    if (inode == inodeOf(dataDir + "/runs.db"))
        return true;
    std::error_code ec;
    fs::remove(damagedFlag(dataDir), ec); // replaced since: the flag is void
    return false;
}

// Markers of processes that are gone (and removes them): an unclean stop.
bool removeStaleMarkers(const std::string &dataDir)
{
    bool stale = false;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(markerDir(dataDir), ec)) {
        const std::string name = entry.path().filename().string();
        // "<pid>-<start time>-<n>"
        const auto dash = name.find('-');
        const auto second = dash == std::string::npos ? dash : name.find('-', dash + 1);
        const long pid = dash == std::string::npos ? 0 : std::atol(name.substr(0, dash).c_str());
        if (name == "damaged" || (pid > 0 && second != std::string::npos &&
                                  processMatches(pid, name.substr(dash + 1, second - dash - 1))))
            continue;
        stale = true;
        fs::remove(entry.path(), ec);
    }
    return stale;
}

std::string quickCheck(sqlite3 *db)
{
    sqlite3_stmt *s = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &s, nullptr) != SQLITE_OK)
        return sqlite3_errmsg(db);
    std::string result;
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        auto text = reinterpret_cast<const char *>(sqlite3_column_text(s, 0));
        result = text ? text : "";
    } else {
        result = sqlite3_errmsg(db);
    }
    sqlite3_finalize(s);
    return result == "ok" ? std::string() : result;
}

// A copy of a healthy store, when there is none or it is an hour old;
// `checked`: quick_check already passed on this open.
void refreshBackup(sqlite3 *db, const std::string &path, bool checked)
{
    const std::string backup = path + ".bak";
    std::error_code ec;
    const auto written = fs::last_write_time(backup, ec);
    if (!ec && fs::file_time_type::clock::now() - written < std::chrono::hours(1))
        return;
    if (!checked && !quickCheck(db).empty())
        return; // never replace a good copy with a damaged one
    const std::string temp = backup + ".tmp-" + uniqueSuffix();
    sqlite3 *copy = nullptr;
    if (sqlite3_open_v2(temp.c_str(), &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) ==
        SQLITE_OK) {
        if (sqlite3_backup *b = sqlite3_backup_init(copy, "main", db, "main")) {
            const int rc = sqlite3_backup_step(b, -1);
            sqlite3_backup_finish(b);
            sqlite3_close(copy);
            copy = nullptr;
            if (rc == SQLITE_DONE) {
                fs::rename(temp, backup, ec);
                return;
            }
        }
    }
    sqlite3_close(copy);
    fs::remove(temp, ec);
}

} // namespace

void markRunStoreDamaged(const std::string &dataDir)
{
    std::error_code ec;
    fs::create_directories(markerDir(dataDir), ec);
    std::ofstream(damagedFlag(dataDir)) << inodeOf(dataDir + "/runs.db") << "\n";
}

std::string runStoreRecoveryHint(const std::string &dataDir)
{
    const std::string path = dataDir + "/runs.db";
    std::error_code ec;
    std::string hint = "Pipewright will not write over it. ";
    if (fs::exists(path + ".bak", ec) && fs::file_size(path + ".bak", ec) > 0)
        hint +=
            "To go back to the last backup (runs since then are lost from the list; their folders stay in " +
            dataDir + "/runs): mv " + path + " " + path + ".damaged && cp " + path + ".bak " + path;
    else
        hint += "There is no backup. To start an empty store (the run folders stay in " + dataDir +
                "/runs): mv " + path + " " + path + ".damaged";
    return hint;
}

Result<RunStoreFile *> RunStoreFile::open(const std::string &dataDir, const char *schema)
{
    const std::string path = dataDir + "/runs.db";
    std::error_code ec;
    fs::create_directories(markerDir(dataDir), ec);
    if (!fs::exists(path, ec)) {
        if (auto r = createStore(path, schema); !r.ok())
            return r.error();
    } else if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) == 0) {
        return storeError(path, "the run store is empty (0 bytes): it was truncated. " +
                                    runStoreRecoveryHint(dataDir));
    }
    if (knownDamaged(dataDir))
        return storeError(path, "the run store is damaged (found while reading it earlier). " +
                                    runStoreRecoveryHint(dataDir));
    const bool unclean = removeStaleMarkers(dataDir);
    auto db = openDb(path, SQLITE_OPEN_READWRITE);
    if (!db.ok())
        return db.error();
    static std::atomic<unsigned> opened{0};
    const std::string marker = markerDir(dataDir) + "/" + std::to_string(currentPid()) + "-" +
                               processStartToken(currentPid()) + "-" + std::to_string(++opened);
    std::ofstream(marker).flush();
    auto *file = new RunStoreFile(*db, marker);
    if (unclean) {
        if (const std::string problem = quickCheck(*db); !problem.empty()) {
            delete file;
            markRunStoreDamaged(dataDir);
            return storeError(path,
                              "the run store is damaged (" + problem + "). " + runStoreRecoveryHint(dataDir));
        }
    }
    refreshBackup(*db, path, unclean);
    return file;
}

RunStoreFile::~RunStoreFile()
{
    sqlite3_close(m_db);
    std::error_code ec;
    fs::remove(m_marker, ec);
}

} // namespace pw
