// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backendfactory.h"

#include <QObject>

namespace pw::kfp {

// The `kfp` kind. Settings: api (auto, v1, v2), auth (none, bearer, cookie,
// iap), iapClientId and googleCredentials (for iap), userId (multi-user
// without a gateway: sent as kubeflow-userid), caFile, pollMs.
class KfpBackendFactory final : public QObject, public BackendFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID PW_BACKEND_FACTORY_IID FILE "plugin.json")
    Q_INTERFACES(pw::BackendFactory)

public:
    QString kind() const override { return QStringLiteral("kfp"); }
    QString description() const override;
    std::vector<SettingSpec> settings() const override;
    Result<bool> check(const BackendConfig &config) const override;
    Result<std::unique_ptr<Backend>> create(const BackendConfig &config) const override;
};

} // namespace pw::kfp
