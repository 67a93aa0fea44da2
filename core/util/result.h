// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pw {

// Where a problem sits: a file position (1-based line/column, 0 when unknown),
// a field path inside the document, and/or a task id in a pipeline.
struct Location {
    std::string file;
    int line = 0;
    int column = 0;
    std::string field; // e.g. "implementation.container.args[2]"
    std::string task;  // task id, when the problem belongs to one task

    // "file:line:col" (parts that are unknown are left out)
    std::string toString() const;
};

struct Error {
    std::string message;
    Location where;

    // "file:line:col: error: message (field)" as printed by the CLI.
    std::string toString() const;
};

// Value or located error, for every fallible I/O and parse call (DESIGN 9).
template <typename T>
class Result final {
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<T>(m_data); }
    const T &value() const & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    T *operator->() { return &std::get<T>(m_data); }
    const T *operator->() const { return &std::get<T>(m_data); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

} // namespace pw
