// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backendfactory.h"
#include "runs/backendregistry.h"

namespace pw {

// The embedded engine as a kind of backend, built into the library.
// Setting: dataDir (default: $XDG_DATA_HOME/pipewright).
class LocalBackendFactory final : public BackendFactory {
public:
    QString kind() const override { return QStringLiteral("local"); }
    QString description() const override;
    std::vector<SettingSpec> settings() const override;
    Result<std::unique_ptr<Backend>> create(const BackendConfig &config) const override;
};

// A registry as the programs use it: the local engine, every plugin found in
// the default folders, and the user's backends.yaml. Plugins that cannot be
// loaded become warnings; a malformed backends.yaml is an error (the registry
// still knows the local backend then).
Result<std::vector<std::string>> setUpRegistry(BackendRegistry &registry,
                                               const std::string &configPath = BackendConfigFile::defaultPath());

} // namespace pw
