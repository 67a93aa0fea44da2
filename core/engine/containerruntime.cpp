// SPDX-License-Identifier: Apache-2.0
#include "engine/containerruntime.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <unistd.h>

namespace pw {

std::optional<ContainerRuntime> containerRuntimeFromString(std::string_view name)
{
    if (name == "process")
        return ContainerRuntime::Process;
    if (name == "docker")
        return ContainerRuntime::Docker;
    if (name == "podman")
        return ContainerRuntime::Podman;
    return std::nullopt;
}

std::string_view toString(ContainerRuntime r)
{
    switch (r) {
    case ContainerRuntime::Docker: return "docker";
    case ContainerRuntime::Podman: return "podman";
    case ContainerRuntime::Process: break;
    }
    return "process";
}

Result<std::string> findRuntimeBinary(ContainerRuntime r)
{
    if (r == ContainerRuntime::Process)
        return std::string();
    const std::string name(toString(r));
    const char *path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        std::size_t end = dirs.find(':', start);
        if (end == std::string::npos)
            end = dirs.size();
        const std::string candidate = dirs.substr(start, end - start) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = end + 1;
    }
    return Error{"--runtime " + name + " needs the '" + name + "' command, which is not on PATH; install it or " +
                     "use --runtime process",
                 {}};
}

std::vector<std::string> outputFoldersNamedBy(const ContainerCommand &c, const std::string &workDir)
{
    namespace fs = std::filesystem;
    std::vector<std::string> folders;
    if (workDir.empty())
        return folders;
    const fs::path base = fs::path(workDir).lexically_normal();
    std::vector<std::string> words = c.command;
    words.insert(words.end(), c.args.begin(), c.args.end());
    for (const std::string &word : words) {
        if (word.empty() || word.find('/') == std::string::npos ||
            word.find_first_of(" \t\n=") != std::string::npos)
            continue;
        const fs::path path = (word.front() == '/' ? fs::path(word) : base / word).lexically_normal();
        std::error_code ec;
        const fs::path folder = fs::is_directory(path, ec) ? path : path.parent_path();
        const fs::path inside = folder.lexically_relative(base);
        if (inside.empty() || inside == "." || *inside.begin() == ".." || fs::is_regular_file(path, ec))
            continue;
        fs::create_directories(folder, ec);
        if (!ec && std::find(folders.begin(), folders.end(), folder.string()) == folders.end())
            folders.push_back(folder.string());
    }
    return folders;
}

std::vector<std::string> launchArgv(ContainerRuntime r, const ContainerCommand &c, const HostPaths &paths)
{
    if (r == ContainerRuntime::Process) {
        std::vector<std::string> argv = c.command;
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        return argv;
    }
    std::vector<std::string> argv = {paths.runtimeBinary, "run", "--rm", "--init"};
    if (!paths.containerName.empty())
        argv.insert(argv.end(), {"--name", paths.containerName});
    argv.insert(argv.end(), {"--user", std::to_string(::getuid()) + ":" + std::to_string(::getgid())});
    // Longer paths after shorter ones: a folder inside a mounted one is mounted over it.
    std::vector<std::pair<std::string, bool>> mounts; // path, writable
    if (!paths.workDir.empty())
        mounts.emplace_back(paths.workDir, false);
    for (const std::string &p : paths.readOnly)
        mounts.emplace_back(p, false);
    for (const std::string &p : paths.readWrite)
        mounts.emplace_back(p, true);
    std::stable_sort(mounts.begin(), mounts.end(),
                     [](const auto &a, const auto &b) { return a.first.size() < b.first.size(); });
    for (const auto &[path, writable] : mounts)
        argv.insert(argv.end(), {"-v", path + ":" + path + (writable ? "" : ":ro")});
    if (!paths.workDir.empty())
        argv.insert(argv.end(), {"-w", paths.workDir});
    for (const auto &[k, v] : c.env)
        argv.insert(argv.end(), {"-e", k + "=" + v});
    if (!c.command.empty())
        argv.insert(argv.end(), {"--entrypoint", c.command.front()});
    argv.push_back(c.image);
    if (!c.command.empty())
        argv.insert(argv.end(), c.command.begin() + 1, c.command.end());
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    return argv;
}

} // namespace pw
