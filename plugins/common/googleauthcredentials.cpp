// SPDX-License-Identifier: Apache-2.0
#include "googleauthcredentials.h"

#include "util/yamljson.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace pw::google {

namespace {

Error fileError(const std::string &file, const std::string &field, const std::string &message)
{
    Error error{message, {}};
    error.where.file = file;
    error.where.field = field;
    return error;
}

// Overwrites a string that held key material before it is freed.
void wipe(std::string &text)
{
    std::fill(text.begin(), text.end(), '\0');
}

// Overwrites every string in a parsed credentials file, whichever way parsing
// ended: an error part-way must not leave a private key in freed memory.
void wipeStrings(nlohmann::json &value)
{
    if (value.is_string())
        wipe(value.get_ref<std::string &>());
    else if (value.is_structured())
        for (auto &item : value)
            wipeStrings(item);
}

struct WipeOnExit {
    nlohmann::json &value;
    ~WipeOnExit() { wipeStrings(value); }
};

// A required string field: present, a string, not empty.
Result<std::string> requiredString(const nlohmann::json &info, const std::string &file, const char *what,
                                   const char *field)
{
    const auto it = info.find(field);
    if (it == info.end())
        return fileError(file, field, std::string(what) + ": the field '" + field + "' is missing");
    if (!it->is_string())
        return fileError(file, field, std::string(what) + ": the field '" + field + "' is not a string");
    if (it->get_ref<const std::string &>().empty())
        return fileError(file, field, std::string(what) + ": the field '" + field + "' is empty");
    return it->get<std::string>();
}

Result<std::string> optionalString(const nlohmann::json &info, const std::string &file, const char *what,
                                   const char *field, const std::string &fallback = {})
{
    const auto it = info.find(field);
    if (it == info.end() || it->is_null())
        return fallback;
    if (!it->is_string())
        return fileError(file, field, std::string(what) + ": the field '" + field + "' is not a string");
    return it->get_ref<const std::string &>().empty() ? fallback : it->get<std::string>();
}

Result<std::string> tokenUriOf(const nlohmann::json &info, const std::string &file, const char *what)
{
    auto uri = optionalString(info, file, what, "token_uri", kGoogleTokenUri);
    if (!uri)
        return uri;
    if (!isAcceptableTokenUri(*uri))
        return fileError(file, "token_uri",
                         std::string(what) + ": token_uri '" + *uri +
                             "' must be an https URL (plain http only to a loopback address)");
    return uri;
}

Result<ServiceAccountKey> serviceAccountFrom(const nlohmann::json &info, const std::string &file)
{
    constexpr const char *what = "service-account key";
    ServiceAccountKey key;
    key.file = file;
    auto email = requiredString(info, file, what, "client_email");
    if (!email)
        return email.error();
    key.clientEmail = *email;
    auto tokenUri = tokenUriOf(info, file, what);
    if (!tokenUri)
        return tokenUri.error();
    key.tokenUri = *tokenUri;
    // Optional as in Google's libraries: without it the JWT has no kid and
    // Google tries each of the account's keys.
    auto keyId = optionalString(info, file, what, "private_key_id");
    if (!keyId)
        return keyId.error();
    key.privateKeyId = *keyId;
    auto project = optionalString(info, file, what, "project_id");
    if (!project)
        return project.error();
    key.projectId = *project;

    auto pem = requiredString(info, file, what, "private_key");
    if (!pem)
        return pem.error();
    Secret pemSecret(std::move(pem).value());
    auto signer = JwtSigner::fromPem(pemSecret);
    if (!signer)
        return fileError(file, "private_key", std::string(what) + ": private_key: " + signer.error().message);
    key.signer = std::move(signer).value();
    return key;
}

Result<AuthorizedUserCredentials> authorizedUserFrom(const nlohmann::json &info, const std::string &file)
{
    constexpr const char *what = "authorized_user credentials";
    AuthorizedUserCredentials user;
    user.file = file;
    auto clientId = requiredString(info, file, what, "client_id");
    if (!clientId)
        return clientId.error();
    user.clientId = *clientId;
    auto clientSecret = requiredString(info, file, what, "client_secret");
    if (!clientSecret)
        return clientSecret.error();
    user.clientSecret = Secret(std::move(clientSecret).value());
    auto refreshToken = requiredString(info, file, what, "refresh_token");
    if (!refreshToken)
        return refreshToken.error();
    user.refreshToken = Secret(std::move(refreshToken).value());
    auto tokenUri = tokenUriOf(info, file, what);
    if (!tokenUri)
        return tokenUri.error();
    user.tokenUri = *tokenUri;
    auto quota = optionalString(info, file, what, "quota_project_id");
    if (!quota)
        return quota.error();
    user.quotaProjectId = *quota;
    return user;
}

} // namespace

bool isAcceptableTokenUri(const std::string &uri)
{
    if (uri.rfind("https://", 0) == 0)
        return uri.size() > 8;
    if (uri.rfind("http://", 0) != 0)
        return false;
    std::string host = uri.substr(7);
    host = host.substr(0, host.find_first_of("/?#"));
    host = host.substr(host.find('@') == std::string::npos ? 0 : host.find('@') + 1);
    if (host.rfind("[::1]", 0) == 0)
        return host.size() == 5 || host[5] == ':';
    host = host.substr(0, host.find(':'));
    if (host == "localhost")
        return true;
    // 127.0.0.0/8, written as a dotted quad
    if (host.rfind("127.", 0) != 0)
        return false;
    return std::count(host.begin(), host.end(), '.') == 3 &&
           host.find_first_not_of("0123456789.") == std::string::npos;
}

Result<GoogleCredentials> GoogleCredentials::fromFile(const std::string &path)
{
    auto text = readTextFile(path);
    if (!text)
        return fileError(path, {}, "cannot read Google credentials: " + text.error().message);
    auto parsed = fromJson(*text, path);
    wipe(*text);
    return parsed;
}

Result<GoogleCredentials> GoogleCredentials::fromJson(std::string_view text, const std::string &file)
{
    nlohmann::json info;
    const WipeOnExit wipeInfo{info};
    try {
        info = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error &e) {
        // The byte offset, not the parser's text: that quotes the input, which may be key material.
        return fileError(file, {},
                         "Google credentials: not valid JSON (syntax error at byte " +
                             std::to_string(e.byte) + ")");
    }
    if (!info.is_object())
        return fileError(file, {}, "Google credentials: not a JSON object");
    const auto type = info.find("type");
    if (type == info.end() || !type->is_string())
        return fileError(file, "type",
                         "Google credentials: the field 'type' is missing (expected \"service_account\" or "
                         "\"authorized_user\")");
    const std::string kind = type->get<std::string>();
    GoogleCredentials credentials;
    if (kind == "service_account") {
        auto key = serviceAccountFrom(info, file);
        if (!key)
            return key.error();
        credentials.m_data = std::move(key).value();
    } else if (kind == "authorized_user") {
        auto user = authorizedUserFrom(info, file);
        if (!user)
            return user.error();
        credentials.m_data = std::move(user).value();
    } else {
        // external_account (workload identity federation), impersonated_service_account, ...
        return fileError(
            file, "type",
            "Google credentials of type '" + kind +
                "' are not supported (expected \"service_account\" or \"authorized_user\"); use a "
                "command such as 'gcloud auth print-access-token' instead");
    }
    return credentials;
}

GoogleCredentials GoogleCredentials::fromTokenSource(CredentialSource source)
{
    GoogleCredentials credentials;
    credentials.m_data = std::move(source);
    return credentials;
}

GoogleCredentials::Kind GoogleCredentials::kind() const
{
    if (serviceAccount())
        return Kind::ServiceAccount;
    if (authorizedUser())
        return Kind::AuthorizedUser;
    return Kind::TokenSource;
}

std::string GoogleCredentials::describe() const
{
    if (const auto *key = serviceAccount())
        return "service account " + key->clientEmail +
               (key->file.empty() ? "" : " (key file " + key->file + ")");
    if (const auto *user = authorizedUser())
        return "authorized_user credentials" + (user->file.empty() ? std::string() : " in " + user->file);
    return "credential " + tokenSource()->describe();
}

std::string GoogleCredentials::projectId() const
{
    if (const auto *key = serviceAccount())
        return key->projectId;
    if (const auto *user = authorizedUser())
        return user->quotaProjectId;
    return {};
}

} // namespace pw::google
