// SPDX-License-Identifier: Apache-2.0
// What a task writes as metrics and visualizations: the input is every
// output's content (KFP v1 mlpipeline-metrics and mlpipeline-ui-metadata, and
// the CSV files they name) and, as JSON, the metadata of KFP v2 metrics
// artifacts. Indexing never throws and every record can be stored as JSON.
#include "fuzzinput.h"

#include "report/outputindex.h"

#include <string>

PW_FUZZ_TARGET
{
    const std::string text(fuzzText(data, size));
    const nlohmann::json metadata = nlohmann::json::parse(text, nullptr, false);
    const nlohmann::json asMetadata = metadata.is_object() ? metadata : nlohmann::json::object();
    const std::vector<pw::OutputArtifact> outputs{
        {"mlpipeline-metrics", "", "/run/metrics.json", "system.Metrics", {}, {}},
        {"mlpipeline-ui-metadata", "", "/run/ui.json", "system.Artifact", {}, {}},
        {"metrics", "", "/run/m", "system.Metrics", asMetadata, {}},
        {"classification", "", "/run/c", "system.ClassificationMetrics", asMetadata, {}},
        {"page", "", "/run/p.md", "system.Markdown", {}, {}},
    };
    const pw::ContentReader read = [&text](const std::string &) -> std::optional<std::string> {
        return text;
    };
    const pw::IndexedOutputs index = pw::indexOutputs("task", outputs, read);
    for (const auto &a : index.artifacts)
        (void)a.metadata.dump(); // throws (and fails) on text the store could not hold
    return 0;
}
