// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backendfactory.h"

#include <QObject>

namespace pw::vertex {

// The `vertex` kind. Settings: project and location (required), outputDir
// (the default gs:// output directory), serviceAccount, network, labels
// (k=v,k=v), googleCredentials (a key or ADC file; default: the credential
// source, else Application Default Credentials), loggingUrl and storageUrl
// (other endpoints, e.g. private ones), caFile, pollMs. The URL, when set,
// is the Vertex AI endpoint (default https://LOCATION-aiplatform.googleapis.com).
class VertexBackendFactory final : public QObject, public BackendFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID PW_BACKEND_FACTORY_IID FILE "plugin.json")
    Q_INTERFACES(pw::BackendFactory)

public:
    QString kind() const override { return QStringLiteral("vertex"); }
    QString description() const override;
    std::vector<SettingSpec> settings() const override;
    Result<bool> check(const BackendConfig &config) const override;
    Result<std::unique_ptr<Backend>> create(const BackendConfig &config) const override;
};

} // namespace pw::vertex
