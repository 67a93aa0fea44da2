// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/component.h"
#include "model/pipeline.h"
#include "util/result.h"

#include <string>
#include <string_view>

namespace YAML {
class Node;
}

namespace pw {

// KFP v1 component.yaml (name, description, metadata, inputs, outputs,
// implementation.container with every placeholder, or implementation.graph).
// Types map the way the KFP v2 SDK maps them when it loads a v1 component.
// Errors are located (file:line:column, field).
Result<Component> parseComponentV1(const YAML::Node &root, const std::string &fileName);
Result<Component> parseComponentV1(std::string_view text, const std::string &fileName);

// For implementation.graph, the inner tasks reference further components;
// this overload registers them in `registry.components` (the pipeline that
// will use the graph). The overloads above drop them.
Result<Component> parseComponentV1(const YAML::Node &root, const std::string &fileName, Pipeline &registry);

// Reads a KFP v1 component.yaml file; anything else (an empty file, a KFP v2
// PipelineSpec, YAML that is no component) is a located error. KFP v2 files:
// loadAnyComponentFile (formats/pipelineloader.h).
Result<Component> loadComponentFile(const std::string &path);
// The same checks on a file's parsed first document; components inside a
// graph component land in `registry`.
Result<Component> parseComponentFileV1(const YAML::Node &doc, const std::string &path, Pipeline &registry);

} // namespace pw
