// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backendconfig.h"
#include "util/result.h"

#include <string>

namespace pw {

// A credential's value in memory. It cannot be printed or turned into a
// string by accident: code that sends it (an Authorization header) asks for
// it by name, and its memory is cleared when it goes.
class Secret final {
public:
    Secret() = default;
    explicit Secret(std::string value) : m_value(std::move(value)) {}
    Secret(const Secret &) = default;
    Secret(Secret &&other) noexcept : m_value(std::move(other.m_value)) { other.wipe(); }
    Secret &operator=(const Secret &other);
    Secret &operator=(Secret &&other) noexcept;
    ~Secret() { wipe(); }

    bool empty() const { return m_value.empty(); }
    const std::string &reveal() const { return m_value; }
    // Removes every occurrence of the secret from `text` (for error messages
    // that quote a server's or a command's output).
    std::string redact(std::string text) const;

private:
    void wipe() noexcept;
    std::string m_value;
};

// Reads a credential from where its source names: an environment variable, a
// file (trailing whitespace dropped), a command's standard output (run with
// /bin/sh, at most `timeoutMs`), or the system keyring (service "pipewright").
// Blocks: call it on a worker thread. Errors name the source, never the value.
Result<Secret> readCredential(const CredentialSource &source, int timeoutMs = 60000);

// Stores a value in the system keyring under `entry` (service "pipewright"),
// for `backend add --token-keyring`. Blocks.
Result<bool> storeInKeyring(const std::string &entry, const Secret &value);

} // namespace pw
