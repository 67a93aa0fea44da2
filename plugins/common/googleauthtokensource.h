// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "googleauthclient.h"
#include "googleauthcredentials.h"
#include "httpclient.h"
#include "runs/credentials.h"
#include "tokenprovider.h"
#include "util/result.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pw::google {

// How a GoogleTokenSource caches (outside the class: a nested struct with
// member initialisers cannot be a default argument of its own class).
struct TokenSourceOptions {
    // Fetch a new token this long before the old one expires (capped at
    // half a token's lifetime, so a short-lived token is still reused).
    std::chrono::seconds refreshMargin{5 * 60};
    // For tokens whose expiry nobody told us (a command's output that is
    // not a JWT): Google's tokens live an hour; a 401 refreshes sooner.
    std::chrono::seconds assumedLifetime{55 * 60};
    int commandTimeoutMs = 60000;
    // What time it is; empty: the system clock. Tests move time on by hand.
    std::function<std::chrono::system_clock::time_point()> now;
};

// The bearer token a remote backend puts in its Authorization header, from
// one kind of Google credentials, cached until shortly before it expires.
// Thread-safe: backend worker threads share one. At most one fetch runs at a
// time; callers that arrive meanwhile wait for it and take its answer.
// A TokenProvider, so a backend's connection takes it like any other.
class GoogleTokenSource final : public TokenProvider {
public:
    using Options = TokenSourceOptions;
    using Fetch = std::function<Result<GoogleToken>()>;

    // An OAuth access token for `scopes` (service-account key, authorized_user
    // file, or a command such as `gcloud auth print-access-token`).
    static Result<std::shared_ptr<GoogleTokenSource>>
    forAccessToken(GoogleCredentials credentials, net::HttpTransport transport,
                   std::vector<std::string> scopes = {kCloudPlatformScope}, Options options = {});
    // An OIDC ID token for `audience` (Google IAP: its OAuth client id) from a
    // service-account key, or a command such as
    // `gcloud auth print-identity-token --audiences=AUD`. authorized_user
    // files cannot make one for another audience: that is an error here.
    static Result<std::shared_ptr<GoogleTokenSource>> forIdToken(GoogleCredentials credentials,
                                                                 net::HttpTransport transport,
                                                                 std::string audience, Options options = {});

    // Any fetch function (tests; future kinds of credentials). `description`
    // names what the tokens are for messages ("service account x: ID token for y").
    GoogleTokenSource(std::string description, Fetch fetch, Options options = {});
    GoogleTokenSource(const GoogleTokenSource &) = delete;
    GoogleTokenSource &operator=(const GoogleTokenSource &) = delete;

    // The cached token while it is fresh, else a newly fetched one. Blocks
    // while fetching: call it on a worker thread.
    Result<Secret> token() override;
    // A server answered 401 to `rejected`: drop it, unless another thread has
    // already replaced it, so the next token() fetches anew.
    void invalidate(const Secret &rejected);
    // Drop whatever is cached. Prefer invalidate(rejected) where the refused
    // token is at hand: with several threads, this may drop a token another
    // thread has just fetched (costing one more grant, nothing worse).
    void invalidate() override;

    std::string describe() const override { return m_description; }
    // When the cached token expires (nullopt: none cached).
    std::optional<std::chrono::system_clock::time_point> expiry() const;
    // Fetches attempted so far (diagnostics and tests).
    std::uint64_t fetchCount() const;

private:
    bool freshLocked(std::chrono::system_clock::time_point now) const;
    std::chrono::system_clock::time_point now() const;

    const std::string m_description;
    Fetch m_fetch;
    const Options m_options;

    std::mutex m_fetchMutex;         // held for the whole of a fetch: one at a time
    mutable std::mutex m_stateMutex; // guards what follows; never held across a fetch
    std::optional<Secret> m_token;
    std::chrono::system_clock::time_point m_expiry;
    std::chrono::system_clock::time_point m_refreshAt;
    std::uint64_t m_fetches = 0;
    std::optional<Error> m_lastError;
};

} // namespace pw::google
