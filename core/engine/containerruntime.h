// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pw {

// How a container component runs locally: as a plain process (the default;
// the image is ignored and the command must exist on this machine), or in
// its image with docker or podman.
enum class ContainerRuntime { Process, Docker, Podman };

std::optional<ContainerRuntime> containerRuntimeFromString(std::string_view name);
std::string_view toString(ContainerRuntime r);

// Fails with a message a user can act on when docker/podman is not on PATH.
Result<std::string> findRuntimeBinary(ContainerRuntime r);

struct ContainerCommand {
    std::string image;
    std::vector<std::string> command; // resolved
    std::vector<std::string> args;    // resolved
    std::vector<std::pair<std::string, std::string>> env;
};

struct HostPaths {
    std::string runsDir; // every run directory (cache hits point into earlier runs)
    std::string workDir; // where relative paths resolve
    std::string runtimeBinary;
    std::string containerName;
};

// argv for the process that runs the task. For docker/podman the run
// directories and the working directory are mounted at the same paths, the
// task runs as the calling user (so outputs stay owned by them), and the
// command replaces the image's entrypoint, as on Kubernetes.
std::vector<std::string> launchArgv(ContainerRuntime r, const ContainerCommand &c, const HostPaths &paths);

} // namespace pw
