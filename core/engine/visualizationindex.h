// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/taskcontext.h"
#include "runs/rungraph.h"

#include <map>
#include <string>
#include <vector>

namespace pw {

struct IndexedOutputs {
    std::vector<ArtifactRecord> artifacts; // every output artifact, then one record per visualization
    std::vector<MetricRecord> metrics;
};

// Recognises what KFP's UIs show for a finished task and loads its data once:
// - KFP v1 `mlpipeline-metrics` (metrics) and `mlpipeline-ui-metadata`
//   (confusion_matrix, roc, table, markdown, web-app; sources inline or in local files),
// - KFP v2 system.Metrics, system.ClassificationMetrics, system.HTML, system.Markdown.
// Each visualization record carries its data and its rendered HTML
// fragment in metadata ("html"), so views never re-read task files.
IndexedOutputs indexOutputs(const std::string &taskId, const std::map<std::string, std::vector<ArtifactValue>> &outputs,
                            const std::string &workDir);

} // namespace pw
