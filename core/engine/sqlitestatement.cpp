// SPDX-License-Identifier: Apache-2.0
#include "engine/sqlitestatement.h"

namespace pw {

SqlStatement::SqlStatement(sqlite3 *db, const char *sql) : m_db(db)
{
    check(sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr), "prepare");
}

void SqlStatement::check(int rc, const char *what)
{
    if (rc == SQLITE_OK || m_rc != SQLITE_OK)
        return;
    m_rc = rc;
    m_error = std::string(what) + ": " +
              (rc == SQLITE_TOOBIG ? "the value is too large to store" : sqlite3_errstr(rc));
    if (const char *detail = sqlite3_errmsg(m_db);
        detail && rc != SQLITE_TOOBIG && std::string(detail) != sqlite3_errstr(rc))
        m_error += std::string(" (") + detail + ")";
}

SqlStatement &SqlStatement::bind(int i, const std::string &s)
{
    check(sqlite3_bind_text64(m_stmt, i, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8), "bind");
    return *this;
}

SqlStatement &SqlStatement::bind(int i, std::int64_t v)
{
    check(sqlite3_bind_int64(m_stmt, i, v), "bind");
    return *this;
}

SqlStatement &SqlStatement::bind(int i, double v)
{
    check(sqlite3_bind_double(m_stmt, i, v), "bind");
    return *this;
}

SqlStatement &SqlStatement::bind(int i, const nlohmann::json &j)
{
    std::string text;
    try {
        text = j.dump();
    } catch (const nlohmann::json::type_error &) {
        if (m_rc == SQLITE_OK) {
            m_rc = SQLITE_MISMATCH;
            m_error = "bind: the value holds text that is not UTF-8";
        }
        return *this;
    }
    return bind(i, text);
}

bool SqlStatement::run()
{
    if (failed()) {
        sqlite3_reset(m_stmt);
        return false;
    }
    const int rc = sqlite3_step(m_stmt);
    sqlite3_reset(m_stmt);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return true;
    check(rc, "step");
    return false;
}

bool SqlStatement::next()
{
    if (failed())
        return false;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE)
        check(rc, "read");
    return false;
}

void SqlStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::string SqlStatement::error() const
{
    return m_error.empty() ? std::string("no error") : m_error;
}

std::string SqlStatement::text(int col) const
{
    auto p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
}

nlohmann::json SqlStatement::json(int col, nlohmann::json fallback) const
{
    auto j = nlohmann::json::parse(text(col), nullptr, false);
    return j.is_discarded() ? fallback : j;
}

} // namespace pw
