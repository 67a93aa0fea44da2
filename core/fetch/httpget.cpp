// SPDX-License-Identifier: Apache-2.0
#include "fetch/httpget.h"

#include <curl/curl.h>

#include <QUrl>

#include <memory>
#include <mutex>

namespace pw {

namespace {

constexpr std::size_t kMaxBody = 16 * 1024 * 1024; // component files are kilobytes
constexpr long kTimeoutSeconds = 60;
constexpr long kConnectTimeoutSeconds = 15; // an unreachable host fails soon

bool isLoopbackHost(const QString &host)
{
    return host == QLatin1String("127.0.0.1") || host == QLatin1String("::1") ||
           host == QLatin1String("localhost");
}

struct Body {
    std::string text;
    bool tooLarge = false;
};

size_t collect(char *data, size_t size, size_t n, void *user)
{
    auto *body = static_cast<Body *>(user);
    if (body->text.size() + size * n > kMaxBody) {
        body->tooLarge = true;
        return 0; // libcurl stops the transfer
    }
    body->text.append(data, size * n);
    return size * n;
}

Error failure(const std::string &url, const std::string &why)
{
    return Error{"cannot fetch " + url + ": " + why, {}};
}

} // namespace

std::string whyUrlRefused(const std::string &url)
{
    const QUrl parsed(QString::fromStdString(url), QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty())
        return "not a valid URL";
    const QString scheme = parsed.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return {};
    if (scheme == QLatin1String("http") && isLoopbackHost(parsed.host()))
        return {};
    if (scheme == QLatin1String("http"))
        return "plain http is refused for hosts other than loopback; use https";
    return "only https URLs are fetched, not '" + scheme.toStdString() + "'";
}

Result<std::string> httpGetText(const std::string &url)
{
    if (const std::string why = whyUrlRefused(url); !why.empty())
        return failure(url, why);
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl)
        return failure(url, "libcurl could not start a request");
    Body body;
    char errorText[CURL_ERROR_SIZE] = {};
    CURL *h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, kTimeoutSeconds);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    // A PEM bundle to trust instead of the system's (a company CA, a test server's own certificate).
    const QByteArray caFile = qgetenv("PIPEWRIGHT_CA_FILE");
    if (!caFile.isEmpty())
        curl_easy_setopt(h, CURLOPT_CAINFO, caFile.constData());
    curl_easy_setopt(h, CURLOPT_USERAGENT, "pipewright");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorText);
    const CURLcode code = curl_easy_perform(h);
    if (body.tooLarge)
        return failure(url, "the reply is larger than " + std::to_string(kMaxBody / (1024 * 1024)) + " MiB");
    if (code != CURLE_OK)
        return failure(url, errorText[0] ? std::string(errorText) : std::string(curl_easy_strerror(code)));
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300)
        return failure(url, "the server answered HTTP " + std::to_string(status));
    return std::move(body.text);
}

} // namespace pw
