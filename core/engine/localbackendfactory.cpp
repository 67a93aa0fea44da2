// SPDX-License-Identifier: Apache-2.0
#include "engine/localbackendfactory.h"

#include "engine/localbackend.h"

namespace pw {

QString LocalBackendFactory::description() const
{
    return QStringLiteral("Runs pipelines on this machine with the embedded engine");
}

std::vector<SettingSpec> LocalBackendFactory::settings() const
{
    return {{"dataDir", "where the run store and run folders live", {}, false}};
}

Result<std::unique_ptr<Backend>> LocalBackendFactory::create(const BackendConfig &config) const
{
    if (auto ok = check(config); !ok.ok())
        return ok.error();
    return std::unique_ptr<Backend>(
        std::make_unique<LocalBackend>(QString::fromStdString(config.name), config.setting("dataDir")));
}

Result<std::vector<std::string>> setUpRegistry(BackendRegistry &registry, const std::string &configPath)
{
    registry.addFactory(std::make_shared<LocalBackendFactory>());
    std::vector<std::string> warnings = registry.loadPlugins(BackendRegistry::defaultPluginDirs());
    auto configs = BackendConfigFile::load(configPath);
    if (!configs.ok()) {
        registry.setConfigs({});
        return configs.error();
    }
    registry.setConfigs(std::move(configs).value());
    return warnings;
}

} // namespace pw
