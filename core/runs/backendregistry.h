// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pipewright_export.h"

#include "runs/backend.h"
#include "runs/backendconfig.h"
#include "runs/backendfactory.h"
#include "util/result.h"

#include <QObject>
#include <QStringList>

#include <map>
#include <memory>
#include <string>
#include <vector>

class QPluginLoader;

namespace pw {

// Knows every kind of backend (built-in factories and plugins) and every
// named configuration, and builds each backend once, on first use. It owns
// the backends it builds; they live on its thread.
class PW_EXPORT BackendRegistry final : public QObject {
    Q_OBJECT

public:
    explicit BackendRegistry(QObject *parent = nullptr);
    ~BackendRegistry() override;

    // Where plugins are looked for, in order: $PIPEWRIGHT_PLUGIN_PATH
    // (':'-separated), <libdir>/pipewright/plugins of the prefix the program
    // sits in (the build tree has the same layout), and of the prefix the
    // build was configured with.
    static QStringList defaultPluginDirs();

    void addFactory(std::shared_ptr<BackendFactory> factory);
    // Loads every backend plugin in these folders; returns what could not
    // be loaded (a plugin of another version, a broken file) as warnings.
    std::vector<std::string> loadPlugins(const QStringList &dirs);

    QStringList kinds() const;
    const BackendFactory *factory(const QString &kind) const;

    // Named configurations. A configuration named "local" of kind local
    // always exists unless one replaces it.
    void setConfigs(std::vector<BackendConfig> configs);
    const std::vector<BackendConfig> &configs() const { return m_configs; }
    const BackendConfig *config(const std::string &name) const;

    // The backend of a configuration, built on first use.
    Result<Backend *> backend(const std::string &name);
    // Drops a built backend (after its configuration changed).
    void forget(const std::string &name);

private:
    std::vector<std::unique_ptr<QPluginLoader>> m_loaders;
    std::map<QString, std::shared_ptr<BackendFactory>> m_factories;
    std::vector<BackendConfig> m_configs;
    std::map<std::string, std::unique_ptr<Backend>> m_backends;
};

} // namespace pw
