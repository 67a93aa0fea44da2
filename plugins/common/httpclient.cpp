// SPDX-License-Identifier: Apache-2.0
#include "httpclient.h"

#include <curl/curl.h>

#include <QUuid>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace pw::net {

namespace {

void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// Where a body goes: collected into the reply, or handed on as it arrives.
struct BodySink {
    std::string *collect = nullptr;
    const ChunkHandler *stream = nullptr;
    HttpReply *reply = nullptr;
};

size_t onBody(char *data, size_t size, size_t n, void *user)
{
    auto *sink = static_cast<BodySink *>(user);
    const std::string_view chunk(data, size * n);
    if (sink->stream && sink->reply->status < 300) {
        if (!(*sink->stream)(chunk))
            return 0; // the handler had enough: libcurl stops the transfer
        return size * n;
    }
    sink->collect->append(chunk);
    return size * n;
}

size_t onHeader(char *data, size_t size, size_t n, void *user)
{
    auto *reply = static_cast<HttpReply *>(user);
    std::string line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
        reply->headers.clear(); // a new response (after 100 Continue or a redirect)
        const auto space = line.find(' ');
        if (space != std::string::npos)
            reply->status = std::atoi(line.c_str() + space + 1); // a streamed body needs it early
        return size * n;
    }
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.erase(0, 1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
            value.pop_back();
        reply->headers.emplace_back(lower(line.substr(0, colon)), value);
    }
    return size * n;
}

int onProgress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto *cancelled = static_cast<const std::function<bool()> *>(user);
    return (*cancelled)() ? 1 : 0; // non-zero aborts the transfer
}

} // namespace

std::string HttpReply::header(std::string_view name) const
{
    const std::string key = lower(std::string(name));
    for (const auto &[k, v] : headers)
        if (k == key)
            return v;
    return {};
}

CurlTransport::CurlTransport(TlsOptions tls) : m_tls(std::move(tls)) { initCurlOnce(); }

Result<HttpReply> CurlTransport::operator()(const HttpRequest &request) const { return (*this)(request, ChunkHandler()); }

Result<HttpReply> CurlTransport::operator()(const HttpRequest &request, const ChunkHandler &onChunk) const
{
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl)
        return Error{"cannot start an HTTP request (libcurl)", {}};
    HttpReply reply;
    curl_slist *headers = nullptr;
    for (const auto &[k, v] : request.headers)
        headers = curl_slist_append(headers, (k + ": " + v).c_str());
    // A body of our own: no "Expect: 100-continue" round trip.
    headers = curl_slist_append(headers, "Expect:");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headerList(headers, curl_slist_free_all);
    CURL *c = curl.get();
    char errorText[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "HEAD")
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    BodySink sink{&reply.body, onChunk ? &onChunk : nullptr, &reply};
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorText);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeoutMs));
    if (onChunk)
        curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 16384L); // hand lines on as they come
    if (request.cancelled) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, onProgress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &request.cancelled);
    }
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 15000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); // whatever libcurl can decode
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, m_tls.verify ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, m_tls.verify ? 2L : 0L);
    if (!m_tls.caFile.empty())
        curl_easy_setopt(c, CURLOPT_CAINFO, m_tls.caFile.c_str());
    // Redirects are not followed: an Authorization header must not travel to another host.
    const CURLcode rc = curl_easy_perform(c);
    if ((rc == CURLE_WRITE_ERROR && onChunk) || (rc == CURLE_ABORTED_BY_CALLBACK && request.cancelled)) {
        // The handler or the caller ended the stream.
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        reply.status = static_cast<int>(status);
        return reply;
    }
    if (rc != CURLE_OK) {
        // The URL may carry query values but never a credential: those travel in headers.
        std::string what = errorText[0] ? errorText : curl_easy_strerror(rc);
        return Error{request.method + " " + request.url + ": " + what, {}};
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    reply.status = static_cast<int>(status);
    return reply;
}

std::string urlEncode(std::string_view text)
{
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char ch : text) {
        if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out += char(ch);
        } else {
            out += '%';
            out += hex[ch >> 4];
            out += hex[ch & 15];
        }
    }
    return out;
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>> &fields)
{
    std::string out;
    for (const auto &[k, v] : fields) {
        if (!out.empty())
            out += '&';
        out += urlEncode(k) + '=' + urlEncode(v);
    }
    return out;
}

std::pair<std::string, std::string> multipartFile(const std::string &field, const std::string &fileName,
                                                  const std::string &contentType, std::string_view content)
{
    const std::string boundary =
        "pipewright-" + QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    std::string body = "--" + boundary + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName + "\"\r\n";
    body += "Content-Type: " + contentType + "\r\n\r\n";
    body.append(content);
    body += "\r\n--" + boundary + "--\r\n";
    return {"multipart/form-data; boundary=" + boundary, body};
}

} // namespace pw::net
