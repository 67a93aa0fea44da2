// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/credentials.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>

struct evp_pkey_st; // OpenSSL's EVP_PKEY, kept out of every includer

namespace pw::google {

// base64url (RFC 4648 section 5) without padding, as RFC 7515 wants in a JWT.
std::string base64UrlEncode(std::string_view bytes);
// Accepts padded and unpadded input: Debian's google-auth 1.5 pads its JWTs,
// newer libraries and Google's own tokens do not.
Result<std::string> base64UrlDecode(std::string_view text);

// The claims of a compact JWT, NOT verified: for reading the `exp` of an ID
// token that the token endpoint (over TLS) just handed us, as Google's
// libraries do. Never use it to trust a token.
Result<nlohmann::json> unverifiedJwtClaims(std::string_view token);

// An RSA private key (a service account's) that signs RS256 JWTs with
// OpenSSL 3's EVP API. Copies share the key; signing is safe from several
// threads at once.
class JwtSigner final {
public:
    JwtSigner() = default; // signs nothing: sign() fails

    // Loads a PEM private key (PKCS#8 "BEGIN PRIVATE KEY" as Google issues,
    // or PKCS#1). Never prompts for a passphrase. The error says what is
    // wrong with the key, never any of its text.
    static Result<JwtSigner> fromPem(const Secret &pem);

    bool valid() const { return m_key != nullptr; }
    int bits() const;

    // RSASSA-PKCS1-v1_5 with SHA-256 over `data`: the raw signature.
    Result<std::string> signRs256(std::string_view data) const;

    // "<b64url(header)>.<b64url(claims)>.<b64url(signature)>" with compact
    // JSON in the key order given (ordered_json keeps the writer's order).
    Result<std::string> signJwt(const nlohmann::ordered_json &header,
                                const nlohmann::ordered_json &claims) const;

    // The public half as PEM (SubjectPublicKeyInfo), e.g. to publish or verify with.
    Result<std::string> publicKeyPem() const;

private:
    std::shared_ptr<evp_pkey_st> m_key;
};

} // namespace pw::google
