// SPDX-License-Identifier: Apache-2.0
#include "googleauthjwt.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <memory>

namespace pw::google {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// OpenSSL's queue says why; its texts name routines and reasons, never key bytes.
std::string openSslReason()
{
    std::string reason;
    while (const unsigned long code = ERR_get_error()) {
        std::array<char, 256> text{};
        ERR_error_string_n(code, text.data(), text.size());
        reason = text.data(); // the last one is the most specific
    }
    return reason.empty() ? std::string("unknown OpenSSL error") : reason;
}

// Refuses to ask for a passphrase: the default callback would read the
// terminal, which blocks a worker thread (or a GUI) forever.
int noPassphrase(char *, int, int, void *)
{
    return -1;
}

struct BioFree {
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};

} // namespace

std::string base64UrlEncode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v =
            (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        out += kAlphabet[v >> 6 & 63];
        out += kAlphabet[v & 63];
    }
    if (i + 1 == bytes.size()) {
        const unsigned v = (unsigned char)bytes[i] << 16;
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
    } else if (i + 2 == bytes.size()) {
        const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        out += kAlphabet[v >> 6 & 63];
    }
    return out;
}

Result<std::string> base64UrlDecode(std::string_view text)
{
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    if (text.size() % 4 == 1)
        return Error{"not base64url: wrong length", {}};
    std::string out;
    out.reserve(text.size() * 3 / 4);
    unsigned acc = 0;
    int bits = 0;
    for (const char c : text) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '-')
            v = 62;
        else if (c == '_')
            v = 63;
        else
            return Error{"not base64url: unexpected character", {}};
        acc = (acc << 6) | unsigned(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((acc >> bits) & 0xff);
        }
    }
    return out;
}

Result<nlohmann::json> unverifiedJwtClaims(std::string_view token)
{
    const auto first = token.find('.');
    const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos)
        return Error{"not a JWT (expected three dot-separated parts)", {}};
    auto payload = base64UrlDecode(token.substr(first + 1, second - first - 1));
    if (!payload)
        return Error{"not a JWT: claims are " + payload.error().message, {}};
    auto claims = nlohmann::json::parse(*payload, nullptr, false);
    if (!claims.is_object())
        return Error{"not a JWT: the claims are not a JSON object", {}};
    return claims;
}

Result<JwtSigner> JwtSigner::fromPem(const Secret &pem)
{
    const std::string &text = pem.reveal();
    if (text.find("-----BEGIN") == std::string::npos)
        return Error{"not a PEM private key (no '-----BEGIN' line)", {}};
    ERR_clear_error();
    // Reads the secret in place: no copy of the PEM outlives this call.
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio)
        return Error{"cannot read the private key: " + openSslReason(), {}};
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr);
    if (!key)
        return Error{"cannot read the private key (" + openSslReason() + ")", {}};
    JwtSigner signer;
    signer.m_key.reset(key, EVP_PKEY_free);
    if (!EVP_PKEY_is_a(key, "RSA"))
        return Error{std::string("the private key is not an RSA key (it is ") + EVP_PKEY_get0_type_name(key) +
                         "); Google service-account keys are RSA",
                     {}};
    return signer;
}

int JwtSigner::bits() const
{
    return m_key ? EVP_PKEY_get_bits(m_key.get()) : 0;
}

Result<std::string> JwtSigner::signRs256(std::string_view data) const
{
    if (!m_key)
        return Error{"no private key to sign with", {}};
    ERR_clear_error();
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    // RSA keys sign with PKCS#1 v1.5 padding unless told otherwise: RS256 is exactly that.
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, m_key.get()) != 1)
        return Error{"cannot sign (" + openSslReason() + ")", {}};
    std::size_t size = 0;
    const auto *bytes = reinterpret_cast<const unsigned char *>(data.data());
    if (EVP_DigestSign(ctx.get(), nullptr, &size, bytes, data.size()) != 1)
        return Error{"cannot sign (" + openSslReason() + ")", {}};
    std::string signature(size, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &size, bytes,
                       data.size()) != 1)
        return Error{"cannot sign (" + openSslReason() + ")", {}};
    signature.resize(size);
    return signature;
}

Result<std::string> JwtSigner::signJwt(const nlohmann::ordered_json &header,
                                       const nlohmann::ordered_json &claims) const
{
    std::string input = base64UrlEncode(header.dump()) + '.' + base64UrlEncode(claims.dump());
    auto signature = signRs256(input);
    if (!signature)
        return signature.error();
    return input + '.' + base64UrlEncode(*signature);
}

Result<std::string> JwtSigner::publicKeyPem() const
{
    if (!m_key)
        return Error{"no key", {}};
    ERR_clear_error();
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1)
        return Error{"cannot write the public key (" + openSslReason() + ")", {}};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

} // namespace pw::google
