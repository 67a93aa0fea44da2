// SPDX-License-Identifier: Apache-2.0
#include "engine/containerruntime.h"

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
    for (const std::string &dir : {paths.runsDir, paths.workDir})
        if (!dir.empty())
            argv.insert(argv.end(), {"-v", dir + ":" + dir});
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
