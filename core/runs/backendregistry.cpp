// SPDX-License-Identifier: Apache-2.0
#include "runs/backendregistry.h"

#include "util/installpaths.h"

#include <QDir>
#include <QJsonObject>
#include <QPluginLoader>

#include <algorithm>

namespace pw {

Result<bool> BackendFactory::check(const BackendConfig &config) const
{
    for (const SettingSpec &spec : settings()) {
        const std::string value = config.setting(spec.key);
        if (spec.required && value.empty())
            return Error{"a " + kind().toStdString() + " backend needs " + spec.key + " (" + spec.description + ")", {}};
        if (!value.empty() && !spec.choices.empty() &&
            std::find(spec.choices.begin(), spec.choices.end(), value) == spec.choices.end()) {
            std::string choices;
            for (const std::string &c : spec.choices)
                choices += (choices.empty() ? "" : ", ") + c;
            return Error{spec.key + " must be one of " + choices + " (got '" + value + "')", {}};
        }
    }
    for (const auto &[key, _] : config.settings) {
        const auto known = settings();
        if (std::none_of(known.begin(), known.end(),
                         [&key = key](const SettingSpec &s) { return s.key == key; }))
            return Error{"a " + kind().toStdString() + " backend has no setting '" + key + "'", {}};
    }
    return true;
}

BackendRegistry::BackendRegistry(QObject *parent) : QObject(parent) {}

// Backends first (they run plugin code), then the plugins' factories.
BackendRegistry::~BackendRegistry()
{
    m_backends.clear();
    m_factories.clear();
}

QStringList BackendRegistry::defaultPluginDirs()
{
    QStringList dirs;
    const QString env = qEnvironmentVariable("PIPEWRIGHT_PLUGIN_PATH");
    for (const QString &d : env.split(':', Qt::SkipEmptyParts))
        dirs << d;
    dirs << installedPath(InstallDir::Plugins) << configuredPath(InstallDir::Plugins);
    dirs.removeDuplicates();
    return dirs;
}

void BackendRegistry::addFactory(std::shared_ptr<BackendFactory> factory)
{
    const QString kind = factory->kind();
    m_factories[kind] = std::move(factory);
}

std::vector<std::string> BackendRegistry::loadPlugins(const QStringList &dirs)
{
    std::vector<std::string> warnings;
    for (const QString &dir : dirs) {
        const QDir d(dir);
        for (const QString &file : d.entryList(QDir::Files, QDir::Name)) {
            if (!QLibrary::isLibrary(file))
                continue;
            auto loader = std::make_unique<QPluginLoader>(d.absoluteFilePath(file));
            if (loader->metaData().value("IID").toString() != QLatin1String(PW_BACKEND_FACTORY_IID))
                continue; // not ours, or of another interface version
            QObject *instance = loader->instance();
            auto *factory = qobject_cast<BackendFactory *>(instance);
            if (!factory) {
                warnings.push_back("cannot load backend plugin " + d.absoluteFilePath(file).toStdString() + ": " +
                                   loader->errorString().toStdString());
                continue;
            }
            if (m_factories.count(factory->kind()))
                continue; // an earlier folder wins
            // The loader owns the instance; the registry keeps the loader.
            m_factories[factory->kind()] = std::shared_ptr<BackendFactory>(factory, [](BackendFactory *) {});
            m_loaders.push_back(std::move(loader));
        }
    }
    return warnings;
}

QStringList BackendRegistry::kinds() const
{
    QStringList out;
    for (const auto &[kind, _] : m_factories)
        out << kind;
    return out;
}

const BackendFactory *BackendRegistry::factory(const QString &kind) const
{
    const auto it = m_factories.find(kind);
    return it == m_factories.end() ? nullptr : it->second.get();
}

void BackendRegistry::setConfigs(std::vector<BackendConfig> configs)
{
    if (std::none_of(configs.begin(), configs.end(), [](const BackendConfig &c) { return c.name == "local"; }))
        configs.insert(configs.begin(), BackendConfig{"local", "local", {}, {}, {}, {}});
    m_configs = std::move(configs);
    m_backends.clear();
}

const BackendConfig *BackendRegistry::config(const std::string &name) const
{
    for (const BackendConfig &c : m_configs)
        if (c.name == name)
            return &c;
    return nullptr;
}

Result<Backend *> BackendRegistry::backend(const std::string &name)
{
    if (auto it = m_backends.find(name); it != m_backends.end())
        return it->second.get();
    if (m_configs.empty())
        setConfigs({});
    const BackendConfig *c = config(name);
    if (!c) {
        std::string known;
        for (const BackendConfig &k : m_configs)
            known += (known.empty() ? "" : ", ") + k.name;
        return Error{"no backend named '" + name + "' (configured: " + known +
                         "; add one with `pipewright backend add`)",
                     {}};
    }
    const BackendFactory *f = factory(QString::fromStdString(c->kind));
    if (!f)
        return Error{"backend '" + name + "' is of kind '" + c->kind +
                         "', but no plugin provides that kind (looked in " +
                         defaultPluginDirs().join(", ").toStdString() + ")",
                     {}};
    auto built = f->create(*c);
    if (!built.ok())
        return built.error();
    Backend *b = built->get();
    m_backends[name] = std::move(built).value();
    return b;
}

void BackendRegistry::forget(const std::string &name) { m_backends.erase(name); }

} // namespace pw
