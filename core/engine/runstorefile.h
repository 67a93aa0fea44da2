// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <string>

struct sqlite3;

namespace pw {

// The run store's SQLite file, opened so that a damaged file is never
// silently replaced or written over:
// - a new store is built beside runs.db and linked into place only while no
//   runs.db exists, so an existing file of 0 bytes is a truncated store, not
//   a new one, and is refused;
// - every process that opens the store leaves a marker (stores/<pid>-<start>)
//   that it removes when it closes; a marker of a process that is gone means an
//   unclean stop, and the next open runs PRAGMA quick_check first;
// - a store that fails the check, or whose pages turn out damaged while
//   reading, is refused with the way to recover (runStoreRecoveryHint);
// - runs.db.bak is a copy made with SQLite's backup API when the store opens
//   healthy and the copy is missing or an hour old.
class RunStoreFile final {
public:
    ~RunStoreFile();
    RunStoreFile(const RunStoreFile &) = delete;
    RunStoreFile &operator=(const RunStoreFile &) = delete;

    // `schema` runs (in one transaction) when the store is created.
    static Result<RunStoreFile *> open(const std::string &dataDir, const char *schema);

    sqlite3 *db() const { return m_db; }

private:
    RunStoreFile(sqlite3 *db, std::string marker) : m_db(db), m_marker(std::move(marker)) {}

    sqlite3 *m_db = nullptr;
    std::string m_marker;
};

// Records that reading found runs.db damaged: until that file is replaced
// (its inode changes), open() refuses it instead of writing over it.
void markRunStoreDamaged(const std::string &dataDir);

// What to tell a user whose store is damaged: where the backup is and the commands to restore it.
std::string runStoreRecoveryHint(const std::string &dataDir);

} // namespace pw
