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
    std::string workDir; // where relative paths resolve: mounted read-only
    std::string runtimeBinary;
    std::string containerName;
    std::vector<std::string> readOnly;  // the task's input artifacts
    std::vector<std::string> readWrite; // the folders its outputs go to
};

// Folders a task may write outside the run: each argument that names a
// folder under `workDir` (a push destination, an export folder), or a path
// there that does not exist yet, whose parent folder is then created here.
// The working folder itself is mounted read-only, files named in it stay
// read-only, and these folders are mounted writable over it.
std::vector<std::string> outputFoldersNamedBy(const ContainerCommand &c, const std::string &workDir);

// argv for the process that runs the task. For docker/podman only what the
// task needs is mounted, at the same paths: the working directory and the
// input artifacts read-only, the task's output folders read-write; the
// task runs as the calling user (so outputs stay owned by them), and the
// command replaces the image's entrypoint, as on Kubernetes.
std::vector<std::string> launchArgv(ContainerRuntime r, const ContainerCommand &c, const HostPaths &paths);

} // namespace pw
