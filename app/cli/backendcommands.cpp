// SPDX-License-Identifier: Apache-2.0
// `pipewright backend add|list|remove|test`: the named backends in
// backends.yaml. A configuration names where a credential comes from; no
// command ever prints or stores the credential itself.
#include "backendcommands.h"

#include "cliargs.h"
#include "clicontext.h"
#include "clioutput.h"
#include "runs/await.h"
#include "runs/backendconfig.h"

#include <iostream>

namespace pw::cli {

namespace {

// Options of `backend add` that become settings, and the setting each sets.
const std::pair<const char *, const char *> kSettingOptions[] = {
    {"--api", "api"},
    {"--auth", "auth"},
    {"--ca-file", "caFile"},
    {"--iap-client-id", "iapClientId"},
    {"--google-credentials", "googleCredentials"},
    {"--user-id", "userId"},
    {"--project", "project"},
    {"--location", "location"},
    {"--service-account", "serviceAccount"},
    {"--output-dir", "outputDir"},
    {"--data-dir", "dataDir"},
    {"--poll-ms", "pollMs"},
};

const std::pair<const char *, CredentialSource::Kind> kCredentialOptions[] = {
    {"--token-env", CredentialSource::Kind::Env},
    {"--token-file", CredentialSource::Kind::File},
    {"--token-command", CredentialSource::Kind::Command},
    {"--token-keyring", CredentialSource::Kind::Keyring},
};

nlohmann::json configJson(const BackendConfig &c)
{
    nlohmann::json j = {{"name", c.name}, {"kind", c.kind}, {"settings", c.settings}};
    if (!c.url.empty())
        j["url"] = c.url;
    if (!c.ns.empty())
        j["namespace"] = c.ns;
    // Where the credential comes from, never its value.
    j["credential"] =
        c.credential.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.credential.describe());
    return j;
}

Result<std::vector<BackendConfig>> loadConfigs()
{
    return BackendConfigFile::load(BackendConfigFile::defaultPath());
}

int add(CliContext &cx, int argc, char **argv)
{
    std::vector<std::string> valueOptions = {"--kind", "--url", "--namespace", "--set"};
    for (const auto &[option, _] : kSettingOptions)
        valueOptions.emplace_back(option);
    for (const auto &[option, _] : kCredentialOptions)
        valueOptions.emplace_back(option);
    Args args(argc, argv, 3, valueOptions, {"--replace"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("backend add takes exactly one NAME");
    BackendConfig config;
    config.name = args.positionals().front();
    if (!isValidBackendName(config.name))
        return usageError("a backend name is letters, digits, '-', '_' and '.' (got '" + config.name + "')");
    if (config.name == "local" && args.value("--kind").value_or("local") != "local")
        return usageError("'local' is the engine on this machine; choose another name");
    config.kind = args.value("--kind").value_or("");
    if (config.kind.empty())
        return usageError("backend add needs --kind (local, or a plugin's kind such as kfp, argo, vertex)");
    config.url = args.value("--url").value_or("");
    config.ns = args.value("--namespace").value_or("");
    for (const auto &[option, key] : kSettingOptions)
        if (auto v = args.value(option))
            config.settings[key] = *v;
    if (args.value("--iap-client-id") && !args.value("--auth"))
        config.settings["auth"] = "iap";
    for (const std::string &kv : args.values("--set")) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            return usageError("--set takes KEY=VALUE (got '" + kv + "')");
        config.settings[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    int sources = 0;
    for (const auto &[option, kind] : kCredentialOptions)
        if (auto v = args.value(option)) {
            config.credential = {kind, *v};
            ++sources;
        }
    if (sources > 1)
        return usageError("give one of --token-env, --token-file, --token-command, --token-keyring");

    auto registry = cx.registry();
    if (!registry.ok())
        return fail(registry.error());
    const BackendFactory *factory = (*registry)->factory(QString::fromStdString(config.kind));
    if (!factory)
        return fail(Error{"no plugin provides backends of kind '" + config.kind +
                              "' (known: " + (*registry)->kinds().join(", ").toStdString() + ")",
                          {}});
    if (auto ok = factory->check(config); !ok.ok())
        return fail(ok.error());

    auto configs = loadConfigs();
    if (!configs.ok())
        return fail(configs.error());
    auto existing = std::find_if(configs->begin(), configs->end(),
                                 [&](const BackendConfig &c) { return c.name == config.name; });
    if (existing != configs->end() && !args.flag("--replace"))
        return fail(Error{"a backend named '" + config.name + "' exists; add --replace to change it", {}});
    const bool replaced = existing != configs->end();
    if (replaced)
        *existing = config;
    else
        configs->push_back(config);
    const std::string path = BackendConfigFile::defaultPath();
    if (auto saved = BackendConfigFile::save(path, *configs); !saved.ok())
        return fail(saved.error());
    std::cout << (replaced ? "changed" : "added") << " backend " << config.name << " (" << config.kind
              << ") in " << path << "\n";
    return 0;
}

int list(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 3, {}, {"--json"});
    if (!args.ok())
        return usageError(args.error());
    auto registry = cx.registry();
    if (!registry.ok())
        return fail(registry.error());
    const auto &configs = (*registry)->configs();
    if (args.flag("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const BackendConfig &c : configs) {
            nlohmann::json j = configJson(c);
            j["available"] = (*registry)->factory(QString::fromStdString(c.kind)) != nullptr;
            // Made without connecting: what the kind can do, for scripts to check.
            if (auto backend = (*registry)->backend(c.name); backend.ok())
                j["capabilities"] = capabilityNames((*backend)->capabilities());
            out.push_back(j);
        }
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    for (const BackendConfig &c : configs) {
        std::cout << c.name << "  " << c.kind;
        if (!c.url.empty())
            std::cout << "  " << c.url;
        if (!c.ns.empty())
            std::cout << "  namespace " << c.ns;
        if (!c.credential.empty())
            std::cout << "  credential " << c.credential.describe();
        for (const auto &[k, v] : c.settings)
            std::cout << "  " << k << "=" << v;
        if (!(*registry)->factory(QString::fromStdString(c.kind)))
            std::cout << "  (no plugin for this kind)";
        std::cout << "\n";
    }
    return 0;
}

int remove(int argc, char **argv)
{
    Args args(argc, argv, 3, {}, {});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("backend remove takes exactly one NAME");
    const std::string name = args.positionals().front();
    auto configs = loadConfigs();
    if (!configs.ok())
        return fail(configs.error());
    const auto before = configs->size();
    std::erase_if(*configs, [&](const BackendConfig &c) { return c.name == name; });
    if (configs->size() == before)
        return fail(Error{"no backend named '" + name + "' in " + BackendConfigFile::defaultPath(), {}});
    if (auto saved = BackendConfigFile::save(BackendConfigFile::defaultPath(), *configs); !saved.ok())
        return fail(saved.error());
    std::cout << "removed backend " << name << "\n";
    return 0;
}

int test(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 3, {}, {});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("backend test takes exactly one NAME");
    auto backend = cx.backend(args.positionals().front());
    if (!backend.ok())
        return fail(backend.error());
    auto info = await((*backend)->probe());
    if (!info.ok())
        return fail(info.error());
    std::cout << args.positionals().front() << ": " << (*backend)->kind().toStdString() << ", "
              << info->version;
    if (!info->api.empty())
        std::cout << ", API " << info->api;
    if (!info->detail.empty())
        std::cout << ", " << info->detail;
    std::cout << "\n";
    return 0;
}

} // namespace

int backendCommand(CliContext &cx, int argc, char **argv)
{
    if (argc < 3)
        return usageError("backend needs a subcommand: add, list, remove or test");
    const std::string sub = argv[2];
    if (sub == "add")
        return add(cx, argc, argv);
    if (sub == "list")
        return list(cx, argc, argv);
    if (sub == "remove")
        return remove(argc, argv);
    if (sub == "test")
        return test(cx, argc, argv);
    return usageError("unknown backend subcommand '" + sub + "' (add, list, remove, test)");
}

} // namespace pw::cli
