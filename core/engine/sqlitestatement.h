// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace pw {

// A prepared statement that finalizes itself. Binding never throws and
// remembers its first failure (a value too big for SQLite, text that is not
// UTF-8), so that run() refuses to write a row with a missing value; next()
// tells the end of the rows from an error (a damaged file), which failed()
// reports afterwards.
class SqlStatement final {
public:
    SqlStatement(sqlite3 *db, const char *sql);
    ~SqlStatement() { sqlite3_finalize(m_stmt); }
    SqlStatement(const SqlStatement &) = delete;
    SqlStatement &operator=(const SqlStatement &) = delete;

    SqlStatement &bind(int i, const std::string &s);
    SqlStatement &bind(int i, std::int64_t v);
    SqlStatement &bind(int i, double v);
    SqlStatement &bind(int i, const nlohmann::json &j);

    // Executes a statement that returns no rows we read; false on any error.
    bool run();
    // The next row: true while there is one; false at the end or on an error.
    bool next();
    void reset();
    bool failed() const { return m_rc != SQLITE_OK; }
    // The failure was a damaged database file (SQLITE_CORRUPT, SQLITE_NOTADB).
    bool damaged() const { return (m_rc & 0xff) == SQLITE_CORRUPT || (m_rc & 0xff) == SQLITE_NOTADB; }
    // Why the statement failed, for an error message.
    std::string error() const;

    std::string text(int col) const;
    std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
    double real(int col) const { return sqlite3_column_double(m_stmt, col); }
    nlohmann::json json(int col, nlohmann::json fallback = nlohmann::json::object()) const;

private:
    void check(int rc, const char *what);

    sqlite3 *m_db;
    sqlite3_stmt *m_stmt = nullptr;
    int m_rc = SQLITE_OK;
    std::string m_error;
};

// BEGIN IMMEDIATE takes the write lock up front, so two writers wait on the
// busy timeout instead of failing with a deadlock on upgrade.
class SqlTransaction final {
public:
    explicit SqlTransaction(sqlite3 *db) : m_db(db)
    {
        m_ok = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    ~SqlTransaction()
    {
        if (m_ok && !m_done)
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    SqlTransaction(const SqlTransaction &) = delete;
    SqlTransaction &operator=(const SqlTransaction &) = delete;
    bool ok() const { return m_ok; }
    bool commit()
    {
        m_done = true;
        return sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
    }

private:
    sqlite3 *m_db;
    bool m_ok = false;
    bool m_done = false;
};

} // namespace pw
