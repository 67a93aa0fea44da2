// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pw {

// One output artifact of a finished task, wherever it lives.
struct OutputArtifact {
    std::string name;
    std::string uri;      // as the artifact record shows it
    std::string location; // what the reader reads for its content (a local path, a URI)
    std::string schemaTitle;
    nlohmann::json metadata = nlohmann::json::object();
    nlohmann::json extra = nlohmann::json::object();
};

// Reads an artifact's content, or the `source` a v1 UI metadata entry names;
// nothing when it cannot (missing, too large, not reachable). Each backend
// brings its own: local files, KFP's /artifacts/get, Cloud Storage.
using ContentReader = std::function<std::optional<std::string>(const std::string &location)>;

struct IndexedOutputs {
    std::vector<ArtifactRecord> artifacts; // every output artifact, then one record per visualization
    std::vector<MetricRecord> metrics;
};

// Recognises what KFP's UIs show for a finished task and loads its data once:
// - KFP v1 `mlpipeline-metrics` (metrics) and `mlpipeline-ui-metadata`
//   (confusion_matrix, roc, table, markdown, web-app; sources inline or read),
// - KFP v2 system.Metrics, system.ClassificationMetrics, system.HTML, system.Markdown.
// Each visualization record carries its data and its rendered HTML fragment
// in metadata ("html"), so views never read the task's files again. Task
// output is untrusted: wrong JSON types are skipped, never fatal.
//
// Rendering is bounded (kVisualizationLimits): a visualization over a limit,
// or whose text is not UTF-8, is recorded with metadata "notRendered" saying
// why, and its figure says so instead of drawing.
struct VisualizationLimits {
    std::size_t matrixLabels = 100; // a confusion matrix is drawn with at most this many labels
    std::size_t tableRows = 1000;   // a table shows its first rows, and says how many there were
    std::size_t curvePoints = 5000; // a ROC curve keeps this many points, evenly spread
};
inline constexpr VisualizationLimits kVisualizationLimits{};

IndexedOutputs indexOutputs(const std::string &taskId, const std::vector<OutputArtifact> &outputs,
                            const ContentReader &read);

} // namespace pw
