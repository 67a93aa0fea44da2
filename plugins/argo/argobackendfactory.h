// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backendfactory.h"

#include <QObject>

namespace pw::argo {

// The `argo` kind: url (the Argo Server), namespace (required), a bearer
// token (also `v2:...` SSO tokens). Settings: serviceAccount, lint, caFile,
// pollMs.
class ArgoBackendFactory final : public QObject, public BackendFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID PW_BACKEND_FACTORY_IID FILE "plugin.json")
    Q_INTERFACES(pw::BackendFactory)

public:
    QString kind() const override { return QStringLiteral("argo"); }
    QString description() const override { return QStringLiteral("Argo Workflows (Argo Server REST API)"); }
    std::vector<SettingSpec> settings() const override;
    Result<bool> check(const BackendConfig &config) const override;
    Result<std::unique_ptr<Backend>> create(const BackendConfig &config) const override;
};

} // namespace pw::argo
