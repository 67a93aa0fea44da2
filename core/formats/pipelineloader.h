// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "util/result.h"

#include <string>

namespace pw {

enum class InputFormat { Document, ComponentV1, PipelineSpec, Unknown };

// Sniffs a file's format from its content (never its name alone).
InputFormat detectFormat(std::string_view text);

// Any input the CLI accepts becomes a Pipeline:
// - *.pipewright.yaml documents,
// - KFP v1 component.yaml: a one-task pipeline whose inputs become pipeline
//   parameters and whose outputs become pipeline outputs (as the KFP compiler does),
// - PipelineSpec YAML (a v2 pipeline or a one-executor v2 component): imported.
Result<Pipeline> loadPipelineFile(const std::string &path);

// The one-task pipeline around a bare component.
Pipeline pipelineFromComponent(const Component &component, const std::string &componentId);

// A component from a file of either KFP generation: a v1 component.yaml, or a
// v2 PipelineSpec YAML, where a one-executor spec becomes that component and a
// whole pipeline becomes a sub-pipeline. Components that the loaded one uses
// inside (v1 graph components, v2 pipelines) are added to `registry`.
Result<Component> loadAnyComponentFile(const std::string &path, Pipeline &registry);

} // namespace pw
