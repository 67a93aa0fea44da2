// SPDX-License-Identifier: Apache-2.0
#include "vertexbackendfactory.h"

#include "googleauthtokensource.h"
#include "googlecredentialsfor.h"
#include "vertexbackend.h"

#include <QRegularExpression>

namespace pw::vertex {

namespace {

bool isHttpUrl(const std::string &url) { return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0; }

std::string withoutTrailingSlash(std::string url)
{
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

// "team=ml,env=prod" -> {team: ml, env: prod}.
Result<std::map<std::string, std::string>> parseLabels(const std::string &text)
{
    std::map<std::string, std::string> labels;
    size_t start = 0;
    while (start < text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos)
            comma = text.size();
        const std::string item = text.substr(start, comma - start);
        const auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0)
            return Error{"labels must be KEY=VALUE pairs separated by commas (got '" + item + "')", {}};
        labels[item.substr(0, eq)] = item.substr(eq + 1);
        start = comma + 1;
    }
    return labels;
}

} // namespace

QString VertexBackendFactory::description() const
{
    return QStringLiteral("Vertex AI Pipelines (Google Cloud)");
}

std::vector<SettingSpec> VertexBackendFactory::settings() const
{
    return {
        {"project", "the Google Cloud project id", {}, true},
        {"location", "the region the pipelines run in, e.g. us-central1", {}, true},
        {"outputDir", "gs:// folder for pipeline outputs when the pipeline and the run name none", {}, false},
        {"serviceAccount", "the service account runs use when the run names none", {}, false},
        {"network", "VPC network to peer with: projects/NUMBER/global/networks/NAME", {}, false},
        {"labels", "labels put on every run: key=value,key=value", {}, false},
        {"googleCredentials", "a service-account key or ADC file (default: the credential, else ADC)", {}, false},
        {"loggingUrl", "Cloud Logging endpoint (default https://logging.googleapis.com)", {}, false},
        {"storageUrl", "Cloud Storage endpoint (default https://storage.googleapis.com)", {}, false},
        {"caFile", "a PEM bundle to trust besides the system's", {}, false},
        {"pollMs", "milliseconds between readings of a watched run (it backs off to 10x)", {}, false},
    };
}

Result<bool> VertexBackendFactory::check(const BackendConfig &config) const
{
    if (auto ok = BackendFactory::check(config); !ok.ok())
        return ok;
    static const QRegularExpression project(QStringLiteral("^[a-z][-a-z0-9]{4,28}[a-z0-9]$"));
    if (!project.match(QString::fromStdString(config.setting("project"))).hasMatch())
        return Error{"project must be a Google Cloud project id (6 to 30 lowercase letters, digits and '-', starting "
                     "with a letter); got '" + config.setting("project") + "'",
                     {}};
    static const QRegularExpression location(QStringLiteral("^[a-z]+-[a-z]+[0-9]+$"));
    if (!location.match(QString::fromStdString(config.setting("location"))).hasMatch())
        return Error{"location must be a Google Cloud region such as us-central1; got '" + config.setting("location") +
                         "'",
                     {}};
    for (const std::string &url : {config.url, config.setting("loggingUrl"), config.setting("storageUrl")})
        if (!url.empty() && !isHttpUrl(url))
            return Error{"'" + url + "' is not an http(s):// URL", {}};
    if (const std::string dir = config.setting("outputDir"); !dir.empty() && dir.rfind("gs://", 0) != 0)
        return Error{"outputDir must be a gs:// folder; got '" + dir + "'", {}};
    if (auto labels = parseLabels(config.setting("labels")); !labels.ok())
        return labels.error();
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

Result<std::unique_ptr<Backend>> VertexBackendFactory::create(const BackendConfig &config) const
{
    if (auto ok = check(config); !ok.ok())
        return ok.error();
    VertexSettings settings;
    settings.where = {config.setting("project"), config.setting("location")};
    settings.outputDirectory = config.setting("outputDir");
    settings.serviceAccount = config.setting("serviceAccount");
    settings.network = config.setting("network");
    settings.labels = parseLabels(config.setting("labels")).value();
    if (const std::string poll = config.setting("pollMs"); !poll.empty()) {
        settings.pollMinMs = std::stoi(poll);
        settings.pollMaxMs = settings.pollMinMs * 10;
    }

    net::TlsOptions tls;
    tls.caFile = config.setting("caFile");
    const net::CurlTransport transport(tls);
    auto credentials = google::credentialsFor(config);
    if (!credentials.ok())
        return credentials.error();
    auto tokens = google::GoogleTokenSource::forAccessToken(std::move(credentials).value(), transport);
    if (!tokens.ok())
        return tokens.error();
    const std::string access = "the identity needs the Vertex AI User role on project " + settings.where.project +
                               " (and Service Account User on the run's service account)";
    const auto connect = [&](const std::string &service, const std::string &url) {
        net::Endpoint endpoint;
        endpoint.service = service;
        endpoint.url = withoutTrailingSlash(url);
        endpoint.auth = net::Endpoint::Auth::Bearer;
        endpoint.accessHint = access;
        return std::make_shared<net::RestConnection>(endpoint, *tokens, transport);
    };
    VertexBackend::Connections connections;
    connections.vertex = connect("Vertex AI", config.url.empty()
                                                  ? "https://" + settings.where.location + "-aiplatform.googleapis.com"
                                                  : config.url);
    connections.logging = connect("Cloud Logging", config.setting("loggingUrl", "https://logging.googleapis.com"));
    connections.storage = connect("Cloud Storage", config.setting("storageUrl", "https://storage.googleapis.com"));
    return std::unique_ptr<Backend>(
        std::make_unique<VertexBackend>(QString::fromStdString(config.name), connections, settings));
}

} // namespace pw::vertex
