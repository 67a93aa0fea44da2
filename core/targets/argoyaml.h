// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace pw {

// An Argo Workflow (from argoWorkflow) as YAML with the key order people
// expect from Kubernetes manifests: apiVersion, kind, metadata, spec, and
// names first inside templates and tasks. Other keys stay sorted.
std::string argoWorkflowYaml(const nlohmann::json &workflow);

} // namespace pw
