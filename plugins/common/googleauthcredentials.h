// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "googleauthjwt.h"
#include "runs/backendconfig.h"
#include "runs/credentials.h"
#include "util/result.h"

#include <string>
#include <string_view>
#include <variant>

namespace pw::google {

// Where Google's libraries send grants when a file names no token_uri.
inline constexpr const char *kGoogleTokenUri = "https://oauth2.googleapis.com/token";
// The scope Vertex AI and every Cloud API accept.
inline constexpr const char *kCloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

// A service-account key file ("type": "service_account"), as the Cloud
// console and `gcloud iam service-accounts keys create` write it.
struct ServiceAccountKey {
    std::string file;         // where it was read; empty when parsed from memory
    std::string clientEmail;  // the JWT's iss
    std::string privateKeyId; // the JWT header's kid (Google finds the public key by it)
    std::string tokenUri;     // the JWT's aud, and where the grant is POSTed
    std::string projectId;
    JwtSigner signer; // private_key, loaded: the PEM text is not kept
};

// An ADC file written by `gcloud auth application-default login`
// ("type": "authorized_user"): a refresh token for the user's own account.
struct AuthorizedUserCredentials {
    std::string file;
    std::string clientId;
    Secret clientSecret;
    Secret refreshToken;
    std::string tokenUri; // the file's token_uri, else kGoogleTokenUri
    std::string quotaProjectId;
};

// Google credentials from one of the places a backend can name: a JSON file
// (service-account key or authorized_user ADC file), or a credential source
// whose value already is a token (`command: gcloud auth print-access-token`).
class GoogleCredentials final {
public:
    enum class Kind { ServiceAccount, AuthorizedUser, TokenSource };

    // Reads and checks a JSON credentials file. Errors carry the file (and
    // the field, when one is wrong) in their location.
    static Result<GoogleCredentials> fromFile(const std::string &path);
    // The same from text; `file` only labels errors.
    static Result<GoogleCredentials> fromJson(std::string_view text, const std::string &file);
    // A source that yields the token itself (env, file, command, keyring).
    static GoogleCredentials fromTokenSource(CredentialSource source);

    Kind kind() const;
    const ServiceAccountKey *serviceAccount() const { return std::get_if<ServiceAccountKey>(&m_data); }
    const AuthorizedUserCredentials *authorizedUser() const
    {
        return std::get_if<AuthorizedUserCredentials>(&m_data);
    }
    const CredentialSource *tokenSource() const { return std::get_if<CredentialSource>(&m_data); }

    // "service account sa@p.iam.gserviceaccount.com (key file /k.json)": for
    // messages; names the account and the place, never a secret.
    std::string describe() const;
    std::string projectId() const; // the key's project_id, else the ADC file's quota_project_id

private:
    std::variant<ServiceAccountKey, AuthorizedUserCredentials, CredentialSource> m_data;
};

// A grant carries a signed assertion or a refresh token: over plain HTTP only
// to this machine (loopback test servers), never across a network.
bool isAcceptableTokenUri(const std::string &uri);

} // namespace pw::google
