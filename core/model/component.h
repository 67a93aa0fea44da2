// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/binding.h"
#include "model/commandarg.h"
#include "model/executionsettings.h"
#include "model/porttype.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pw {

struct Graph;

struct ContainerSpec {
    std::string image;
    std::vector<CommandArg> command;
    std::vector<CommandArg> args;
    std::vector<EnvVar> env;
    bool operator==(const ContainerSpec &) const = default;
};

// KFP dsl.importer: brings an existing artifact URI into the pipeline.
struct ImporterSpec {
    Binding artifactUri;         // Constant or Parameter
    PortType type;               // artifact type of the output "artifact"
    bool reimport = false;
    nlohmann::json metadata = nlohmann::json::object();
    bool operator==(const ImporterSpec &) const = default;
};

// Where a component definition came from, for the document format.
struct ComponentSource {
    enum class Kind { Embedded, Path, Url };
    Kind kind = Kind::Embedded;
    std::string location; // path (relative to the document) or URL
    std::string sha256;   // pin of the referenced file's bytes; empty = unpinned
    bool operator==(const ComponentSource &) const = default;
};

// A reusable step: its interface plus one implementation.
struct Component {
    enum class Kind { Container, Importer, Graph };

    std::string name;        // human name ("Train model")
    std::string description;
    std::vector<PortSpec> inputs;
    std::vector<PortSpec> outputs;
    std::map<std::string, std::string> annotations; // v1 metadata.annotations
    std::map<std::string, std::string> labels;

    Kind kind = Kind::Container;
    ContainerSpec container;
    ImporterSpec importer;
    std::shared_ptr<Graph> graph; // sub-pipeline (shared so copies stay cheap)

    ComponentSource source;

    const PortSpec *input(std::string_view n) const;
    const PortSpec *output(std::string_view n) const;
};

} // namespace pw
