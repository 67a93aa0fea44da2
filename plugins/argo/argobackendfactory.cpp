// SPDX-License-Identifier: Apache-2.0
#include "argobackendfactory.h"

#include "argobackend.h"

namespace pw::argo {

std::vector<SettingSpec> ArgoBackendFactory::settings() const
{
    return {
        {"serviceAccount", "the Kubernetes service account the workflows run as", {}, false},
        {"lint", "ask the server to lint each workflow before submitting it", {"true", "false"}, false},
        {"cancel",
         "how a run is cancelled: terminate (at once) or stop (its exit handlers run first)",
         {"terminate", "stop"},
         false},
        {"caFile", "a PEM bundle to trust besides the system's", {}, false},
        {"pollMs", "milliseconds between readings of a watched run (it backs off to 10x)", {}, false},
    };
}

Result<bool> ArgoBackendFactory::check(const BackendConfig &config) const
{
    if (auto ok = BackendFactory::check(config); !ok.ok())
        return ok;
    if (config.url.rfind("http://", 0) != 0 && config.url.rfind("https://", 0) != 0)
        return Error{"an argo backend needs --url http(s)://HOST:2746 (the Argo Server); got '" + config.url +
                         "'",
                     {}};
    if (config.ns.empty())
        return Error{"an argo backend needs --namespace (where the workflows run)", {}};
    if (const std::string poll = config.setting("pollMs");
        !poll.empty() && poll.find_first_not_of("0123456789") != std::string::npos)
        return Error{"pollMs must be a number of milliseconds (got '" + poll + "')", {}};
    return true;
}

Result<std::unique_ptr<Backend>> ArgoBackendFactory::create(const BackendConfig &config) const
{
    if (auto ok = check(config); !ok.ok())
        return ok.error();
    net::Endpoint endpoint;
    endpoint.service = "Argo";
    endpoint.url = config.url;
    endpoint.ns = config.ns;
    std::shared_ptr<TokenProvider> tokens;
    if (!config.credential.empty()) {
        endpoint.auth = net::Endpoint::Auth::Bearer;
        tokens = std::make_shared<CredentialTokenProvider>(config.credential);
    }
    net::TlsOptions tls;
    tls.caFile = config.setting("caFile");
    const net::CurlTransport transport(tls);
    auto connection = std::make_shared<net::RestConnection>(
        endpoint, tokens, transport,
        [transport](const net::HttpRequest &r, const net::ChunkHandler &h) { return transport(r, h); });
    ArgoOptions options;
    options.serviceAccount = config.setting("serviceAccount");
    options.lint = config.setting("lint") == "true";
    options.stop = config.setting("cancel") == "stop";
    if (const std::string poll = config.setting("pollMs"); !poll.empty()) {
        options.pollMinMs = std::max(50, std::stoi(poll));
        options.pollMaxMs = options.pollMinMs * 10;
    }
    return std::unique_ptr<Backend>(
        std::make_unique<ArgoBackend>(QString::fromStdString(config.name), connection, options));
}

} // namespace pw::argo
