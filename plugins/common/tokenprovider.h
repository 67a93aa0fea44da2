// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backendconfig.h"
#include "runs/credentials.h"
#include "util/result.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace pw {

// Where a remote backend's requests get their credential. Thread-safe: the
// backends' worker threads share one provider.
class TokenProvider {
public:
    virtual ~TokenProvider() = default;
    // The current token, fetched when there is none. Blocks.
    virtual Result<Secret> token() = 0;
    // The server refused the last token: the next token() fetches a new one.
    virtual void invalidate() = 0;
    // Where the token comes from, for messages ("env:KFP_TOKEN"); never the token.
    virtual std::string describe() const = 0;
};

// A token read through a CredentialSource (environment, file, command,
// keyring) and kept until the server refuses it; then read again, so a
// rotated file or a command that mints a new token is picked up.
class CredentialTokenProvider final : public TokenProvider {
public:
    explicit CredentialTokenProvider(CredentialSource source) : m_source(std::move(source)) {}
    Result<Secret> token() override;
    void invalidate() override;
    std::string describe() const override { return m_source.describe(); }

private:
    CredentialSource m_source;
    std::mutex m_mutex;
    std::optional<Secret> m_token;
};

} // namespace pw
