// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <string>

namespace pw {

// One visualization (an ArtifactRecord whose `visualization` is set and whose
// metadata holds its data, see engine/visualizationindex.h) as a
// self-contained HTML fragment: inline SVG for confusion matrices and ROC
// curves, HTML tables, Markdown converted safely, and web-app / HTML
// artifacts in a sandboxed iframe. No scripts, no external resources, so
// the CLI's report and the studio's web view show the same bytes.
std::string renderVisualization(const ArtifactRecord &record);

// The style sheet the fragments expect (the report inlines it once).
const char *visualizationCss();

} // namespace pw
