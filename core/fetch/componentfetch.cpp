// SPDX-License-Identifier: Apache-2.0
#include "fetch/componentfetch.h"

#include "fetch/httpget.h"
#include "util/filewrite.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <cctype>
#include <optional>

namespace pw {

namespace {

std::string sha256Hex(std::string_view bytes)
{
    return QCryptographicHash::hash(QByteArrayView(bytes.data(), qsizetype(bytes.size())),
                                    QCryptographicHash::Sha256)
        .toHex()
        .toStdString();
}

std::string withLfEnds(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            continue;
        out += text[i];
    }
    return out;
}

bool isHexDigest(const std::string &s)
{
    return s.size() == 64 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// GCS paths as KFP fetched them: public objects over HTTPS.
std::string fetchableUrl(const std::string &url)
{
    if (url.rfind("gs://", 0) == 0)
        return "https://storage.googleapis.com/" + url.substr(5);
    return url;
}

std::string digestPath(const std::string &digest)
{
    return componentCacheDir() + "/" + digest + ".yaml";
}

std::string urlPath(const std::string &url)
{
    return componentCacheDir() + "/url/" + sha256Hex(url) + ".yaml";
}

// The cached text at `path` when it is there and (with a digest) still matches it.
std::optional<std::string> readCached(const std::string &path, const std::string &digest)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    std::string text = file.readAll().toStdString();
    if (!digest.empty() && componentDigest(text) != digest)
        return std::nullopt; // damaged or replaced: fetch it again
    return text;
}

// Keeps a fetched file; a cache that cannot be written only costs a later fetch.
std::string keep(const std::string &path, const std::string &text)
{
    if (!QDir().mkpath(QFileInfo(QString::fromStdString(path)).absolutePath()))
        return {};
    return writeFileAtomically(path, text).ok() ? path : std::string();
}

} // namespace

std::string componentCacheDir()
{
    const QByteArray env = qgetenv("PIPEWRIGHT_COMPONENT_CACHE");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env).toStdString();
    return (QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
            QStringLiteral("/pipewright/components"))
        .toStdString();
}

bool offlineMode()
{
    const QByteArray v = qgetenv("PIPEWRIGHT_OFFLINE").toLower();
    return v == "1" || v == "true" || v == "yes";
}

std::string componentDigest(std::string_view text)
{
    return sha256Hex(withLfEnds(text));
}

Result<FetchedComponent> resolveRemoteComponent(const std::string &url, const std::string &rawDigest)
{
    const std::string digest = lower(rawDigest);
    if (!digest.empty() && !isHexDigest(digest))
        return Error{"the digest '" + rawDigest + "' is not a sha256 (64 hexadecimal digits)", {}};
    if (!digest.empty()) {
        if (auto text = readCached(digestPath(digest), digest))
            return FetchedComponent{std::move(*text), digestPath(digest), true};
    }
    if (url.empty())
        return Error{"the component with digest " + digest + " is not in the component cache (" +
                         componentCacheDir() + ") and the reference has no url to fetch it from",
                     {}};
    const std::optional<std::string> byUrl = digest.empty() ? readCached(urlPath(url), {}) : std::nullopt;
    if (offlineMode()) {
        if (byUrl)
            return FetchedComponent{*byUrl, urlPath(url), true};
        return Error{url + " is not in the component cache (" + componentCacheDir() +
                         ") and PIPEWRIGHT_OFFLINE forbids fetching it; fetch it once online",
                     {}};
    }
    auto fetched = httpGetText(fetchableUrl(url));
    if (!fetched) {
        if (byUrl) // unpinned: the copy fetched last time stands in while the network is away
            return FetchedComponent{*byUrl, urlPath(url), true};
        return Error{fetched.error().message + " (and it is not in the component cache " +
                         componentCacheDir() + ")",
                     {}};
    }
    const std::string text = withLfEnds(*fetched);
    const std::string actual = sha256Hex(text);
    if (!digest.empty() && actual != digest)
        return Error{url + " does not match its digest: the reference pins sha256 " + digest +
                         ", the server sent a file with sha256 " + actual +
                         "; if the component changed on purpose, update the digest",
                     {}};
    std::string kept = keep(digestPath(actual), text);
    if (digest.empty())
        kept = keep(urlPath(url), text);
    return FetchedComponent{text, kept, false};
}

} // namespace pw
