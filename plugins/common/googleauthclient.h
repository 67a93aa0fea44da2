// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "googleauthcredentials.h"
#include "httpclient.h"
#include "runs/credentials.h"
#include "util/result.h"

#include <chrono>
#include <string>
#include <vector>

namespace pw::google {

// A token as a grant returned it.
struct GoogleToken {
    Secret value;
    std::chrono::system_clock::time_point expiry;
    bool expiryAssumed =
        false; // the server (or a command) did not say: GoogleTokenSource::Options::assumedLifetime
    Secret newRefreshToken; // a refresh grant's rotated refresh_token, when the server sent one
};

// Google's OAuth 2.0 token endpoint: the grants Google's own libraries send,
// field for field (google-auth's oauth2/_client.py and service_account.py,
// google-auth-library-nodejs): same grant types, form fields, JWT header and
// claim names, content type. Blocking: call it on a worker thread.
class OAuthClient final {
public:
    explicit OAuthClient(net::HttpTransport transport);

    // An access token for `scopes` (space-joined in the JWT's `scope`) via
    // the JWT-bearer grant (RFC 7523) to the key's token_uri.
    Result<GoogleToken> accessToken(const ServiceAccountKey &key,
                                    const std::vector<std::string> &scopes) const;
    // A Google-signed OIDC ID token whose `aud` is `audience` (for IAP: the
    // OAuth client id): the same grant, with `target_audience` for `scope`.
    Result<GoogleToken> idToken(const ServiceAccountKey &key, const std::string &audience) const;
    // An access token from an authorized_user refresh token (RFC 6749 section 6).
    Result<GoogleToken> refresh(const AuthorizedUserCredentials &user) const;

    // The signed assertions the two JWT grants send: header {typ, alg: RS256,
    // kid}, claims {iat, exp = iat + 3600, iss, aud = token_uri, scope |
    // target_audience}.
    static Result<std::string> accessTokenAssertion(const ServiceAccountKey &key,
                                                    const std::vector<std::string> &scopes,
                                                    std::chrono::system_clock::time_point now);
    static Result<std::string> idTokenAssertion(const ServiceAccountKey &key, const std::string &audience,
                                                std::chrono::system_clock::time_point now);

    static constexpr const char *kJwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static constexpr const char *kFormContentType = "application/x-www-form-urlencoded";
    static constexpr int kAssertionLifetimeSeconds = 3600; // Google's maximum, and what its libraries ask for

private:
    net::HttpTransport m_transport;
};

} // namespace pw::google
