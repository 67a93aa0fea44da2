// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <string>

namespace pw {

// One task's visualizations and metrics as an HTML fragment (the fragments
// rendered when the task finished, see engine/visualizationindex.h), for a
// run view that shows one task at a time.
std::string renderTaskVisualizations(const RunGraph &run, const std::string &taskId);

// The whole run as one self-contained HTML page (inline CSS and SVG, no
// scripts): states, times, parameters, outputs, metrics and visualizations.
std::string renderRunReport(const RunGraph &run);

// A fragment wrapped in a page with the report's style sheet.
std::string htmlPage(const std::string &title, const std::string &body);

} // namespace pw
