// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <nlohmann/json.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}

namespace pw {

// YAML <-> JSON bridge. Scalars are typed the way YAML 1.2 core schema does
// (true/false, ints, floats, null, else string); quoted scalars stay strings.
nlohmann::json yamlToJson(const YAML::Node &node);

// Parse one or more YAML documents; a syntax error becomes a located Error.
Result<std::vector<YAML::Node>> parseYamlDocuments(std::string_view text, const std::string &fileName);

// Every YAML tree a loader reads is walked once, with a budget, before
// anything else reads it (parseYamlDocuments and the v1 component loader do):
// - aliases can make a small file expand into billions of nodes, or into an
//   endless chain when an alias refers to its own anchor: more than
//   kMaxYamlNodes nodes or kMaxYamlDepth levels is a located error;
// - yaml-cpp 0.7 decodes the escapes \N (U+0085) and \_ (U+00A0) of a
//   double-quoted scalar into one raw byte instead of UTF-8: they are
//   re-encoded, so every scalar of a UTF-8 file is UTF-8.
inline constexpr std::size_t kMaxYamlNodes = 5'000'000;
inline constexpr std::size_t kMaxYamlDepth = 200;
Result<bool> checkYamlTree(YAML::Node root, const std::string &fileName);

// Block-style YAML with keys in the json's own order (std::map: sorted),
// quoting strings only where YAML needs it. Fast enough for 10k-task specs.
std::string jsonToYaml(const nlohmann::json &value);
// Same, for documents whose key order is chosen by the writer (Kubernetes style).
std::string jsonToYaml(const nlohmann::ordered_json &value);

// Key order for manifests written straight from a (sorted) json: `leading`
// keys come first in that order, the rest stay sorted. Below a `verbatim` key
// (user data such as labels) nothing is reordered. Saves copying a large
// document into an ordered_json only to order its keys.
struct YamlKeyOrder {
    std::span<const std::string_view> leading;
    std::span<const std::string_view> verbatim;
};
std::string jsonToYaml(const nlohmann::json &value, const YamlKeyOrder &order);

// Reads a whole file; the error names the file.
Result<std::string> readTextFile(const std::string &path);

} // namespace pw
