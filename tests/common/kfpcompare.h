// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <QString>

#include <string>
#include <vector>

namespace pw {

struct KfpDiffOptions {
    // KFP's own golden tests skip these: image and command depend on the SDK's
    // base image and lightweight-python launcher, the name on test renames.
    bool ignoreImageAndCommand = true;
    bool ignorePipelineName = false;
};

// Differences between a golden PipelineSpec (or any KFP document, or an array
// of documents) and ours, one readable line each; empty when they match.
// `sdkVersion` is always ignored. Stricter than KFP: keys only in `actual` are
// reported too, and an int never equals a float (1 vs 1.0 matters in
// runtimeValue constants).
std::vector<std::string> kfpDiff(const nlohmann::json &golden, const nlohmann::json &actual,
                                 const KfpDiffOptions &options = {});

// Every YAML document in the file, as a JSON array (empty on a read or parse error).
nlohmann::json loadYamlDocsAsJson(const QString &path);

} // namespace pw
