// SPDX-License-Identifier: Apache-2.0
#include "runs/backendconfig.h"

#include "util/filewrite.h"
#include "util/yamljson.h"

#include <QStandardPaths>

#include <yaml-cpp/yaml.h>

#include <array>
#include <filesystem>
#include <set>

namespace pw {

namespace {

constexpr std::array<std::pair<CredentialSource::Kind, const char *>, 4> kCredentialKinds{{
    {CredentialSource::Kind::Env, "env"},
    {CredentialSource::Kind::File, "file"},
    {CredentialSource::Kind::Command, "command"},
    {CredentialSource::Kind::Keyring, "keyring"},
}};

Error at(const std::string &file, const YAML::Node &node, const std::string &field, const std::string &message)
{
    Error e;
    e.message = message;
    e.where.file = file;
    e.where.field = field;
    if (node.Mark().line >= 0) {
        e.where.line = node.Mark().line + 1;
        e.where.column = node.Mark().column + 1;
    }
    return e;
}

Result<std::string> scalar(const std::string &file, const YAML::Node &node, const std::string &field)
{
    if (!node.IsScalar())
        return at(file, node, field, "'" + field + "' must be a string");
    return node.Scalar();
}

Result<CredentialSource> credentialFrom(const std::string &file, const YAML::Node &node, const std::string &field)
{
    if (!node.IsMap() || node.size() != 1)
        return at(file, node, field,
                  "'credential' must name one source: {env: VAR}, {file: PATH}, {command: CMD} or {keyring: ENTRY}");
    const std::string key = node.begin()->first.Scalar();
    for (const auto &[kind, name] : kCredentialKinds) {
        if (key != name)
            continue;
        auto ref = scalar(file, node.begin()->second, field + "." + key);
        if (!ref.ok())
            return ref.error();
        return CredentialSource{kind, *ref};
    }
    return at(file, node, field + "." + key,
              "unknown credential source '" + key + "' (env, file, command or keyring)");
}

Result<BackendConfig> configFrom(const std::string &file, const YAML::Node &node, const std::string &field)
{
    if (!node.IsMap())
        return at(file, node, field, "each backend must be a mapping");
    BackendConfig c;
    for (const auto &entry : node) {
        const std::string key = entry.first.Scalar();
        const std::string where = field + "." + key;
        if (key == "credential") {
            auto cred = credentialFrom(file, entry.second, where);
            if (!cred.ok())
                return cred.error();
            c.credential = *cred;
            continue;
        }
        if (key == "settings") {
            if (!entry.second.IsMap())
                return at(file, entry.second, where, "'settings' must be a mapping");
            for (const auto &s : entry.second) {
                auto value = scalar(file, s.second, where + "." + s.first.Scalar());
                if (!value.ok())
                    return value.error();
                c.settings[s.first.Scalar()] = *value;
            }
            continue;
        }
        std::string *target = key == "name" ? &c.name
                              : key == "kind" ? &c.kind
                              : key == "url" ? &c.url
                              : key == "namespace" ? &c.ns
                                                   : nullptr;
        if (!target)
            return at(file, entry.first, where,
                      "unknown field '" + key + "' (name, kind, url, namespace, credential, settings)");
        auto value = scalar(file, entry.second, where);
        if (!value.ok())
            return value.error();
        *target = *value;
    }
    if (!isValidBackendName(c.name))
        return at(file, node, field + ".name",
                  "a backend needs a name of letters, digits, '-', '_' and '.' (got '" + c.name + "')");
    if (c.kind.empty())
        return at(file, node, field + ".kind", "backend '" + c.name + "' has no kind");
    return c;
}

} // namespace

std::string CredentialSource::describe() const
{
    for (const auto &[k, name] : kCredentialKinds)
        if (k == kind)
            return std::string(name) + ":" + ref;
    return "none";
}

std::string BackendConfig::setting(const std::string &key, const std::string &fallback) const
{
    const auto it = settings.find(key);
    return it == settings.end() || it->second.empty() ? fallback : it->second;
}

bool isValidBackendName(const std::string &name)
{
    if (name.empty() || name.size() > 63)
        return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
            return false;
    return true;
}

std::string BackendConfigFile::defaultPath()
{
    QString dir = qEnvironmentVariable("PIPEWRIGHT_CONFIG_DIR");
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + "/pipewright";
    return (dir + "/backends.yaml").toStdString();
}

Result<std::vector<BackendConfig>> BackendConfigFile::load(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return std::vector<BackendConfig>{};
    auto text = readTextFile(path);
    if (!text.ok())
        return text.error();
    auto docs = parseYamlDocuments(*text, path);
    if (!docs.ok())
        return docs.error();
    std::vector<BackendConfig> configs;
    if (docs->empty() || docs->front().IsNull())
        return configs;
    const YAML::Node &root = docs->front();
    if (!root.IsMap())
        return at(path, root, "", "expected a mapping with a 'backends' list");
    for (const auto &entry : root)
        if (entry.first.Scalar() != "backends")
            return at(path, entry.first, entry.first.Scalar(), "unknown field '" + entry.first.Scalar() + "'");
    const YAML::Node list = root["backends"];
    if (!list)
        return configs;
    if (!list.IsSequence())
        return at(path, list, "backends", "'backends' must be a list");
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string field = "backends[" + std::to_string(i) + "]";
        auto config = configFrom(path, list[i], field);
        if (!config.ok())
            return config.error();
        if (!names.insert(config->name).second)
            return at(path, list[i], field + ".name", "backend '" + config->name + "' is defined twice");
        configs.push_back(std::move(config).value());
    }
    return configs;
}

Result<bool> BackendConfigFile::save(const std::string &path, const std::vector<BackendConfig> &configs)
{
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "backends" << YAML::Value << YAML::BeginSeq;
    for (const BackendConfig &c : configs) {
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << c.name;
        out << YAML::Key << "kind" << YAML::Value << c.kind;
        if (!c.url.empty())
            out << YAML::Key << "url" << YAML::Value << c.url;
        if (!c.ns.empty())
            out << YAML::Key << "namespace" << YAML::Value << c.ns;
        if (!c.credential.empty()) {
            for (const auto &[kind, name] : kCredentialKinds)
                if (kind == c.credential.kind)
                    out << YAML::Key << "credential" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
                        << name << YAML::Value << c.credential.ref << YAML::EndMap;
        }
        if (!c.settings.empty()) {
            out << YAML::Key << "settings" << YAML::Value << YAML::BeginMap;
            for (const auto &[k, v] : c.settings)
                out << YAML::Key << k << YAML::Value << v;
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    std::string text = "# Pipewright backends: written by `pipewright backend add` and the studio.\n"
                       "# Credentials are named by where to find them, never stored here.\n";
    text += out.c_str();
    text += '\n';
    return writeFileAtomically(path, text, 0600);
}

} // namespace pw
