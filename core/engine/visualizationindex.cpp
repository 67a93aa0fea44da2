// SPDX-License-Identifier: Apache-2.0
#include "engine/visualizationindex.h"

#include "util/confinedpath.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pw {

namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxSource = 8 * 1024 * 1024; // sources larger than this are not loaded

std::optional<std::string> readSmall(const std::string &path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || fs::file_size(path, ec) > kMaxSource)
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

// The run directory `path` lies in, by name (runsDir/<run id>), or "".
static std::string runDirOf(const std::string &path, const std::string &runsDir)
{
    const fs::path inside =
        fs::path(path).lexically_normal().lexically_relative(fs::path(runsDir).lexically_normal());
    if (inside.empty() || *inside.begin() == ".." || *inside.begin() == ".")
        return {};
    return (fs::path(runsDir) / *inside.begin()).string();
}

IndexedOutputs indexOutputs(const std::string &taskId,
                            const std::map<std::string, std::vector<ArtifactValue>> &outputs,
                            const std::string &workDir, const std::string &runsDir)
{
    std::vector<OutputArtifact> artifacts;
    for (const auto &[name, list] : outputs)
        for (const ArtifactValue &a : list)
            artifacts.push_back({name, a.uri, a.path, a.schemaTitle, a.metadata, {{"path", a.path}}});
    const ContentReader read = [&workDir,
                                &runsDir](const std::string &location) -> std::optional<std::string> {
        if (location.find("://") != std::string::npos && location.rfind("file://", 0) != 0)
            return std::nullopt; // gs://, s3://: not readable here
        std::string path = location.rfind("file://", 0) == 0 ? location.substr(7) : location;
        if (!path.empty() && path.front() != '/')
            path = workDir + "/" + path;
        const std::string runDir = runDirOf(path, runsDir);
        if (runDir.empty())
            return std::nullopt;
        auto real = resolveInside(runDir, path);
        return real.ok() ? readSmall(*real) : std::nullopt;
    };
    return indexOutputs(taskId, artifacts, read);
}

} // namespace pw
