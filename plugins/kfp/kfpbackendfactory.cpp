// SPDX-License-Identifier: Apache-2.0
#include "kfpbackendfactory.h"

#include "googleauthtokensource.h"
#include "googlecredentialsfor.h"
#include "kfpbackend.h"

namespace pw::kfp {

QString KfpBackendFactory::description() const
{
    return QStringLiteral("Kubeflow Pipelines (KFP 2.x and 1.x REST APIs)");
}

std::vector<SettingSpec> KfpBackendFactory::settings() const
{
    return {
        {"api", "KFP API version; auto asks the server", {"auto", "v1", "v2"}, false},
        {"auth", "how the credential travels (default: bearer when one is set)", {"none", "bearer", "cookie", "iap"},
         false},
        {"iapClientId", "Google IAP: the OAuth client id the ID token is for", {}, false},
        {"googleCredentials", "Google IAP: a service-account key file (default: Application Default Credentials)",
         {}, false},
        {"userId", "multi-user KFP without a gateway: the user, sent as kubeflow-userid", {}, false},
        {"caFile", "a PEM bundle to trust besides the system's", {}, false},
        {"pollMs", "milliseconds between readings of a watched run (it backs off to 10x)", {}, false},
    };
}

Result<bool> KfpBackendFactory::check(const BackendConfig &config) const
{
    if (auto ok = BackendFactory::check(config); !ok.ok())
        return ok;
    if (config.url.rfind("http://", 0) != 0 && config.url.rfind("https://", 0) != 0)
        return Error{"a kfp backend needs --url http(s)://HOST (the KFP UI or API endpoint); got '" + config.url + "'",
                     {}};
    const std::string auth = config.setting("auth", config.credential.empty() ? "none" : "bearer");
    if ((auth == "bearer" || auth == "cookie") && config.credential.empty())
        return Error{"auth " + auth + " needs a credential: --token-env, --token-file, --token-command or --token-keyring",
                     {}};
    if (auth == "iap" && config.setting("iapClientId").empty())
        return Error{"auth iap needs --iap-client-id (the OAuth client id of the IAP-protected KFP)", {}};
    if (const std::string poll = config.setting("pollMs"); !poll.empty()) {
        try {
            if (std::stoi(poll) < 50)
                return Error{"pollMs must be at least 50", {}};
        } catch (const std::exception &) {
            return Error{"pollMs must be a number of milliseconds (got '" + poll + "')", {}};
        }
    }
    return true;
}

Result<std::unique_ptr<Backend>> KfpBackendFactory::create(const BackendConfig &config) const
{
    if (auto ok = check(config); !ok.ok())
        return ok.error();
    net::Endpoint endpoint;
    endpoint.service = "KFP";
    endpoint.url = config.url;
    endpoint.ns = config.ns;
    endpoint.userHeader = config.setting("userId");
    const std::string auth = config.setting("auth", config.credential.empty() ? "none" : "bearer");
    std::shared_ptr<TokenProvider> tokens;
    if (auth == "bearer" || auth == "cookie") {
        endpoint.auth = auth == "bearer" ? net::Endpoint::Auth::Bearer : net::Endpoint::Auth::Cookie;
        tokens = std::make_shared<CredentialTokenProvider>(config.credential);
    }
    net::TlsOptions tls;
    tls.caFile = config.setting("caFile");
    const net::CurlTransport transport(tls);
    if (auth == "iap") {
        // Google IAP lets in requests with an OIDC ID token for its OAuth client.
        auto credentials = google::credentialsFor(config);
        if (!credentials.ok())
            return credentials.error();
        auto idTokens = google::GoogleTokenSource::forIdToken(std::move(credentials).value(), transport,
                                                              config.setting("iapClientId"));
        if (!idTokens.ok())
            return idTokens.error();
        endpoint.auth = net::Endpoint::Auth::Bearer;
        tokens = std::move(idTokens).value();
    }
    auto connection = std::make_shared<net::RestConnection>(endpoint, tokens, transport);
    KfpOptions options;
    const std::string api = config.setting("api", "auto");
    options.api = api == "auto" ? std::string() : api;
    if (const std::string poll = config.setting("pollMs"); !poll.empty()) {
        options.pollMinMs = std::stoi(poll);
        options.pollMaxMs = options.pollMinMs * 10;
    }
    return std::unique_ptr<Backend>(
        std::make_unique<KfpBackend>(QString::fromStdString(config.name), connection, options));
}

} // namespace pw::kfp
