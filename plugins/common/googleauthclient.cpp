// SPDX-License-Identifier: Apache-2.0
#include "googleauthclient.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace pw::google {

namespace {

using Clock = std::chrono::system_clock;

// When neither expires_in nor an exp claim says: what GoogleTokenSource
// assumes for commands too (Google's tokens live an hour).
constexpr std::chrono::minutes kAssumedLifetime{55};

std::string joined(const std::vector<std::string> &scopes)
{
    std::string out;
    for (const auto &s : scopes)
        out += (out.empty() ? "" : " ") + s;
    return out;
}

nlohmann::ordered_json jwtHeader(const ServiceAccountKey &key)
{
    // Key order as google-auth writes it; kid only when the key file has one.
    nlohmann::ordered_json header{{"typ", "JWT"}, {"alg", "RS256"}};
    if (!key.privateKeyId.empty())
        header["kid"] = key.privateKeyId;
    return header;
}

nlohmann::ordered_json baseClaims(const ServiceAccountKey &key, Clock::time_point now)
{
    const auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    return nlohmann::ordered_json{{"iat", iat},
                                  {"exp", iat + OAuthClient::kAssertionLifetimeSeconds},
                                  {"iss", key.clientEmail},
                                  {"aud", key.tokenUri}};
}

void wipe(std::string &text)
{
    std::fill(text.begin(), text.end(), '\0');
}

Error located(const std::string &file, std::string message)
{
    Error error{std::move(message), {}};
    error.where.file = file;
    return error;
}

// The server's own words ({"error", "error_description"}, Google's shape),
// with anything we sent that is secret taken out should it echo it.
std::string serverSays(const net::HttpReply &reply, const std::vector<const Secret *> &secrets)
{
    std::string text;
    const auto body = nlohmann::json::parse(reply.body, nullptr, false);
    if (body.is_object() && body.contains("error")) {
        const auto &error = body["error"];
        // OAuth errors are strings; Google's API-style errors are {code, message, status}.
        if (error.is_string())
            text = error.get<std::string>();
        else if (error.is_object() && error.contains("message") && error["message"].is_string())
            text = error["message"].get<std::string>();
        else
            text = error.dump();
        if (body.contains("error_description") && body["error_description"].is_string())
            text += ": " + body["error_description"].get<std::string>();
    } else {
        text = reply.body.substr(0, reply.body.find('\n'));
        if (text.size() > 200)
            text = text.substr(0, 200) + "...";
    }
    for (const Secret *secret : secrets)
        text = secret->redact(std::move(text));
    return text;
}

struct Post {
    std::string who;  // "service account x (key file f)"
    std::string file; // for the error's location
    std::string uri;
    std::vector<std::pair<std::string, std::string>> form;
    std::vector<const Secret *> secrets;
};

// POSTs a grant; returns the reply's JSON object or an error in Google's words.
Result<nlohmann::json> postGrant(const net::HttpTransport &transport, Post &post)
{
    net::HttpRequest request;
    request.method = "POST";
    request.url = post.uri;
    request.headers = {{"Content-Type", OAuthClient::kFormContentType}};
    request.body = net::formEncode(post.form);
    request.timeoutMs = 30000;
    for (auto &field : post.form)
        wipe(field.second);
    auto reply = transport(request);
    wipe(request.body); // it held an assertion or a refresh token
    if (!reply)
        return located(post.file, post.who + ": cannot reach the token endpoint: " + reply.error().message);
    if (!reply->ok())
        return located(post.file, post.who + ": the token endpoint " + post.uri +
                                      " refused the grant (HTTP " + std::to_string(reply->status) +
                                      "): " + serverSays(*reply, post.secrets));
    auto body = nlohmann::json::parse(reply->body, nullptr, false);
    wipe(reply->body);
    if (!body.is_object())
        return located(post.file, post.who + ": the token endpoint " + post.uri + " answered HTTP " +
                                      std::to_string(reply->status) + " without a JSON object");
    return body;
}

// expires_in is a number of seconds in Google's answers; some servers send a string.
std::optional<long long> expiresIn(const nlohmann::json &body)
{
    const auto it = body.find("expires_in");
    if (it == body.end())
        return std::nullopt;
    if (it->is_number())
        return it->get<long long>();
    if (it->is_string()) {
        try {
            return std::stoll(it->get<std::string>());
        } catch (...) {
        }
    }
    return std::nullopt;
}

Result<GoogleToken> accessTokenFrom(nlohmann::json &body, const Post &post)
{
    const auto it = body.find("access_token");
    if (it == body.end() || !it->is_string() || it->get_ref<const std::string &>().empty())
        return located(post.file,
                       post.who + ": the token endpoint " + post.uri + " answered without an access_token");
    GoogleToken token;
    token.value = Secret(it->get<std::string>());
    wipe(it->get_ref<std::string &>());
    const auto now = Clock::now();
    if (const auto seconds = expiresIn(body)) {
        token.expiry = now + std::chrono::seconds(*seconds);
    } else {
        token.expiry = now + kAssumedLifetime;
        token.expiryAssumed = true;
    }
    if (const auto rt = body.find("refresh_token"); rt != body.end() && rt->is_string()) {
        token.newRefreshToken = Secret(rt->get<std::string>());
        wipe(rt->get_ref<std::string &>());
    }
    return token;
}

} // namespace

OAuthClient::OAuthClient(net::HttpTransport transport) : m_transport(std::move(transport)) {}

Result<std::string> OAuthClient::accessTokenAssertion(const ServiceAccountKey &key,
                                                      const std::vector<std::string> &scopes,
                                                      Clock::time_point now)
{
    auto claims = baseClaims(key, now);
    claims["scope"] = joined(scopes);
    return key.signer.signJwt(jwtHeader(key), claims);
}

Result<std::string> OAuthClient::idTokenAssertion(const ServiceAccountKey &key, const std::string &audience,
                                                  Clock::time_point now)
{
    auto claims = baseClaims(key, now);
    claims["target_audience"] = audience;
    return key.signer.signJwt(jwtHeader(key), claims);
}

Result<GoogleToken> OAuthClient::accessToken(const ServiceAccountKey &key,
                                             const std::vector<std::string> &scopes) const
{
    const std::string who = "service account " + key.clientEmail;
    auto assertion = accessTokenAssertion(key, scopes, Clock::now());
    if (!assertion)
        return located(key.file, who + ": " + assertion.error().message);
    const Secret signed_(std::move(assertion).value());
    // Field order as google-auth sends it (the server does not care; a reader comparing captures might).
    Post post{who,
              key.file,
              key.tokenUri,
              {{"assertion", signed_.reveal()}, {"grant_type", kJwtBearerGrant}},
              {&signed_}};
    auto body = postGrant(m_transport, post);
    if (!body)
        return body.error();
    return accessTokenFrom(*body, post);
}

Result<GoogleToken> OAuthClient::idToken(const ServiceAccountKey &key, const std::string &audience) const
{
    const std::string who = "service account " + key.clientEmail + " (ID token for " + audience + ")";
    if (audience.empty())
        return located(key.file, who + ": an ID token needs an audience (for IAP: the OAuth client id)");
    auto assertion = idTokenAssertion(key, audience, Clock::now());
    if (!assertion)
        return located(key.file, who + ": " + assertion.error().message);
    const Secret signed_(std::move(assertion).value());
    Post post{who,
              key.file,
              key.tokenUri,
              {{"assertion", signed_.reveal()}, {"grant_type", kJwtBearerGrant}},
              {&signed_}};
    auto body = postGrant(m_transport, post);
    if (!body)
        return body.error();
    const auto it = body->find("id_token");
    if (it == body->end() || !it->is_string() || it->get_ref<const std::string &>().empty())
        return located(key.file,
                       who + ": the token endpoint " + key.tokenUri + " answered without an id_token");
    GoogleToken token;
    token.value = Secret(it->get<std::string>());
    wipe(it->get_ref<std::string &>());
    // Its expiry is its exp claim (the endpoint sends no expires_in for ID tokens).
    auto claims = unverifiedJwtClaims(token.value.reveal());
    if (!claims)
        return located(key.file, who + ": the token endpoint's id_token is " + claims.error().message);
    if (const auto exp = claims->find("exp"); exp != claims->end() && exp->is_number()) {
        token.expiry = Clock::time_point(std::chrono::seconds(exp->get<long long>()));
    } else {
        token.expiry = Clock::now() + kAssumedLifetime;
        token.expiryAssumed = true;
    }
    return token;
}

Result<GoogleToken> OAuthClient::refresh(const AuthorizedUserCredentials &user) const
{
    const std::string who = "authorized_user credentials"; // the error's location names the file
    // Field order as google-auth sends it.
    Post post{who,
              user.file,
              user.tokenUri,
              {{"grant_type", "refresh_token"},
               {"client_id", user.clientId},
               {"client_secret", user.clientSecret.reveal()},
               {"refresh_token", user.refreshToken.reveal()}},
              {&user.clientSecret, &user.refreshToken}};
    auto body = postGrant(m_transport, post);
    if (!body) {
        Error error = body.error();
        if (error.message.find("invalid_grant") != std::string::npos)
            error.message += " (run 'gcloud auth application-default login' again)";
        return error;
    }
    return accessTokenFrom(*body, post);
}

} // namespace pw::google
