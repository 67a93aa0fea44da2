// SPDX-License-Identifier: Apache-2.0
#include "googleauthtokensource.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace pw::google {

namespace {

using Clock = std::chrono::system_clock;

// A token that a credential source (typically a gcloud command) printed. An
// ID token is a JWT whose exp we can read; an access token is opaque.
Result<GoogleToken> tokenFromSource(const CredentialSource &source, const std::string &audience,
                                    const GoogleTokenSource::Options &options)
{
    auto value = readCredential(source, options.commandTimeoutMs);
    if (!value)
        return value.error();
    GoogleToken token;
    token.value = std::move(value).value();
    token.expiry = Clock::now() + options.assumedLifetime;
    token.expiryAssumed = true;
    if (token.value.reveal().rfind("eyJ", 0) != 0) // not a JWT (JSON objects start '{"' = "eyJ")
        return token;
    auto claims = unverifiedJwtClaims(token.value.reveal());
    if (!claims)
        return token;
    if (const auto exp = claims->find("exp"); exp != claims->end() && exp->is_number()) {
        token.expiry = Clock::time_point(std::chrono::seconds(exp->get<long long>()));
        token.expiryAssumed = false;
    }
    // An ID token for the wrong audience is refused by IAP with a bare 401;
    // say what is wrong instead (a typical cause: print-identity-token without --audiences).
    if (!audience.empty()) {
        const auto aud = claims->find("aud");
        bool matches = aud == claims->end();
        if (aud != claims->end() && aud->is_string())
            matches = aud->get<std::string>() == audience;
        else if (aud != claims->end() && aud->is_array())
            for (const auto &a : *aud)
                matches = matches || (a.is_string() && a.get<std::string>() == audience);
        if (!matches)
            return Error{"credential " + source.describe() + ": the ID token it printed is for audience " +
                             (aud->is_string() ? aud->get<std::string>() : aud->dump()) + ", not " +
                             audience + " (gcloud: add --audiences=" + audience + ")",
                         {}};
    }
    return token;
}

std::string scopesText(const std::vector<std::string> &scopes)
{
    std::string out;
    for (const auto &s : scopes)
        out += (out.empty() ? "" : " ") + s;
    return out;
}

} // namespace

Result<std::shared_ptr<GoogleTokenSource>> GoogleTokenSource::forAccessToken(GoogleCredentials credentials,
                                                                             net::HttpTransport transport,
                                                                             std::vector<std::string> scopes,
                                                                             Options options)
{
    const std::string description = credentials.describe() + ": access token";
    switch (credentials.kind()) {
    case GoogleCredentials::Kind::ServiceAccount: {
        if (scopes.empty())
            return Error{description + ": no OAuth scope asked for", {}};
        OAuthClient client(std::move(transport));
        ServiceAccountKey key = *credentials.serviceAccount();
        return std::make_shared<GoogleTokenSource>(
            description + " for " + scopesText(scopes),
            [client = std::move(client), key = std::move(key), scopes = std::move(scopes)] {
                return client.accessToken(key, scopes);
            },
            options);
    }
    case GoogleCredentials::Kind::AuthorizedUser: {
        // The refresh token carries the scopes the user consented to; none are sent.
        OAuthClient client(std::move(transport));
        auto user = std::make_shared<AuthorizedUserCredentials>(*credentials.authorizedUser());
        return std::make_shared<GoogleTokenSource>(
            description,
            [client = std::move(client), user]() -> Result<GoogleToken> {
                auto token = client.refresh(*user);
                // Fetches run one at a time, so the rotation needs no lock of its own.
                if (token && !token->newRefreshToken.empty())
                    user->refreshToken = token->newRefreshToken;
                return token;
            },
            options);
    }
    case GoogleCredentials::Kind::TokenSource:
        break;
    }
    CredentialSource source = *credentials.tokenSource();
    return std::make_shared<GoogleTokenSource>(
        description, [source, options] { return tokenFromSource(source, {}, options); }, options);
}

Result<std::shared_ptr<GoogleTokenSource>> GoogleTokenSource::forIdToken(GoogleCredentials credentials,
                                                                         net::HttpTransport transport,
                                                                         std::string audience,
                                                                         Options options)
{
    const std::string description = credentials.describe() + ": ID token for " + audience;
    if (audience.empty())
        return Error{
            credentials.describe() + ": an ID token needs an audience (for IAP: the OAuth client id)", {}};
    switch (credentials.kind()) {
    case GoogleCredentials::Kind::ServiceAccount: {
        OAuthClient client(std::move(transport));
        ServiceAccountKey key = *credentials.serviceAccount();
        return std::make_shared<GoogleTokenSource>(
            description,
            [client = std::move(client), key = std::move(key), audience] {
                return client.idToken(key, audience);
            },
            options);
    }
    case GoogleCredentials::Kind::AuthorizedUser: {
        // As google.oauth2.id_token.fetch_id_token: a user's refresh token
        // yields ID tokens for gcloud's own client id only, which IAP refuses.
        Error error{"authorized_user credentials cannot make an ID token for " + audience +
                        "; use a service-account key, or the command 'gcloud auth print-identity-token "
                        "--audiences=" +
                        audience + "'",
                    {}};
        error.where.file = credentials.authorizedUser()->file;
        return error;
    }
    case GoogleCredentials::Kind::TokenSource:
        break;
    }
    CredentialSource source = *credentials.tokenSource();
    return std::make_shared<GoogleTokenSource>(
        description, [source, audience, options] { return tokenFromSource(source, audience, options); },
        options);
}

GoogleTokenSource::GoogleTokenSource(std::string description, Fetch fetch, Options options)
    : m_description(std::move(description)), m_fetch(std::move(fetch)), m_options(options)
{
}

Clock::time_point GoogleTokenSource::now() const
{
    return m_options.now ? m_options.now() : Clock::now();
}

bool GoogleTokenSource::freshLocked(Clock::time_point now) const
{
    return m_token && now < m_refreshAt;
}

Result<Secret> GoogleTokenSource::token()
{
    std::uint64_t seen = 0;
    {
        std::lock_guard lock(m_stateMutex);
        if (freshLocked(now()))
            return *m_token;
        seen = m_fetches;
    }
    std::lock_guard fetching(m_fetchMutex);
    {
        std::lock_guard lock(m_stateMutex);
        if (freshLocked(now()))
            return *m_token; // another caller fetched while we waited
        // A fetch that failed while we waited: its answer is ours too, rather
        // than every waiting thread asking a failing server once more.
        if (m_fetches != seen && m_lastError)
            return *m_lastError;
    }
    const auto started = now();
    auto fetched = m_fetch();
    std::lock_guard lock(m_stateMutex);
    ++m_fetches;
    if (!fetched) {
        m_lastError = fetched.error();
        return fetched.error();
    }
    m_lastError.reset();
    GoogleToken &token = *fetched;
    if (token.expiryAssumed)
        token.expiry = started + m_options.assumedLifetime;
    // Lifetime counted from when we asked: the server's clock is not ours.
    const auto lifetime = token.expiry - started;
    const auto margin = std::max<Clock::duration>(
        Clock::duration::zero(), std::min<Clock::duration>(m_options.refreshMargin, lifetime / 2));
    m_token = std::move(token.value);
    m_expiry = token.expiry;
    m_refreshAt = token.expiry - margin;
    return *m_token;
}

void GoogleTokenSource::invalidate(const Secret &rejected)
{
    std::lock_guard lock(m_stateMutex);
    if (m_token && m_token->reveal() == rejected.reveal())
        m_token.reset();
}

void GoogleTokenSource::invalidate()
{
    std::lock_guard lock(m_stateMutex);
    m_token.reset();
}

std::optional<Clock::time_point> GoogleTokenSource::expiry() const
{
    std::lock_guard lock(m_stateMutex);
    if (!m_token)
        return std::nullopt;
    return m_expiry;
}

std::uint64_t GoogleTokenSource::fetchCount() const
{
    std::lock_guard lock(m_stateMutex);
    return m_fetches;
}

} // namespace pw::google
