// SPDX-License-Identifier: Apache-2.0
#include "targets/argoyaml.h"

#include "util/yamljson.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

namespace pw {

namespace {

// Keys that lead, in this order; any other key follows alphabetically.
constexpr std::array<std::string_view, 23> kLeadingKeys = {
    "name",
    "apiVersion",
    "kind",
    "metadata",
    "spec",
    "generateName",
    "namespace",
    "labels",
    "annotations",
    "entrypoint",
    "template",
    "dependencies",
    "when",
    "arguments",
    "withItems",
    "withParam",
    "serviceAccountName",
    "onExit",
    "inputs",
    "outputs",
    "image",
    "command",
    "args",
};

size_t rank(const std::string &key)
{
    auto it = std::find(kLeadingKeys.begin(), kLeadingKeys.end(), key);
    return static_cast<size_t>(it - kLeadingKeys.begin());
}

// Only object keys are reordered; arrays and scalars keep their content, and
// user data below `withItems`, `labels` or `annotations` stays sorted.
nlohmann::ordered_json ordered(const nlohmann::json &value, bool reorder)
{
    if (value.is_array()) {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const auto &item : value)
            out.push_back(ordered(item, reorder));
        return out;
    }
    if (!value.is_object())
        return nlohmann::ordered_json(value);
    std::vector<std::string> keys;
    for (const auto &[key, item] : value.items()) {
        (void)item;
        keys.push_back(key);
    }
    if (reorder)
        std::stable_sort(keys.begin(), keys.end(),
                         [](const std::string &a, const std::string &b) { return rank(a) < rank(b); });
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const std::string &key : keys) {
        const bool userData = key == "withItems" || key == "labels" || key == "annotations" ||
                              key == "nodeSelector" || key == "limits" || key == "requests";
        out[key] = ordered(value.at(key), reorder && !userData);
    }
    return out;
}

} // namespace

std::string argoWorkflowYaml(const nlohmann::json &workflow)
{
    return jsonToYaml(ordered(workflow, true));
}

} // namespace pw
