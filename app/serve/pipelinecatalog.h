// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace pw::serve {

// The pipelines the server offers: the documents, components and
// PipelineSpecs under the --pipelines folders, by name (the file name without
// .pipewright.yaml / .component.yaml / .yaml). A name is looked up among the
// files found, never joined to a path; files (or symbolic links) that resolve
// outside their folder are not offered. Scanned on each call, so files added
// while the server runs show up.
class PipelineCatalog final {
public:
    struct Entry {
        std::string name;
        std::string kind; // document, component, pipelinespec
        std::string path; // canonical; never shown to clients
    };

    explicit PipelineCatalog(std::vector<std::string> dirs) : m_dirs(std::move(dirs)) {}

    std::vector<Entry> entries() const;
    std::optional<Entry> find(const std::string &name) const;
    Result<Pipeline> load(const Entry &entry) const;

private:
    std::vector<std::string> m_dirs;
};

// "tfx-training" for tfx-training.pipewright.yaml.
std::string pipelineName(const std::string &fileName);

} // namespace pw::serve
