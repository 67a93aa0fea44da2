// SPDX-License-Identifier: Apache-2.0
#include "targets/argoyaml.h"

#include "util/yamljson.h"

#include <array>
#include <string_view>

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

// Under these keys sits user data, whose keys stay sorted.
constexpr std::array<std::string_view, 6> kVerbatimKeys = {
    "withItems", "labels", "annotations", "nodeSelector", "limits", "requests",
};

} // namespace

std::string argoWorkflowYaml(const nlohmann::json &workflow)
{
    return jsonToYaml(workflow, YamlKeyOrder{kLeadingKeys, kVerbatimKeys});
}

} // namespace pw
