// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pipelinecatalog.h"

#include <nlohmann/json.hpp>

namespace pw::serve {

// A pipeline as the API lists it: name, kind, titles and its parameters
// (name, type, default, description, required).
nlohmann::json pipelineSummaryJson(const PipelineCatalog::Entry &entry, const Pipeline &pipeline);

// The summary plus the document's text and its DAG for drawing: tasks with
// their dependencies (data edges and `after`) and groups with their parents.
nlohmann::json pipelineDetailJson(const PipelineCatalog::Entry &entry, const Pipeline &pipeline,
                                  const std::string &documentText);

} // namespace pw::serve
