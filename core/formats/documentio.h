// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internals of the *.pipewright.yaml reader and writer, shared by their source
// files. Not a public API: include formats/document.h instead.

#include "model/pipeline.h"
#include "util/result.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace pw::docio {

using OJson = nlohmann::ordered_json;

// Thrown inside the reader and turned into Result at readDocument's boundary,
// so that deep helpers stay free of error plumbing.
struct ReadFailure {
    Error error;
};

// Where the reader is and what it has learnt about source positions.
class Reader final {
public:
    Reader(std::string fileName, std::string baseDir, Pipeline &target)
        : m_fileName(std::move(fileName)), m_baseDir(std::move(baseDir)), m_pipeline(target)
    {
    }

    const std::string &fileName() const { return m_fileName; }
    const std::string &baseDir() const { return m_baseDir; }
    Pipeline &pipeline() { return m_pipeline; }

    Location locate(const YAML::Node &at, const std::string &field) const;
    [[noreturn]] void fail(const YAML::Node &at, const std::string &field, const std::string &message) const;
    // Records `at` under `key` in Pipeline::sourceMap.
    void mark(const std::string &key, const YAML::Node &at);

private:
    std::string m_fileName;
    std::string m_baseDir;
    Pipeline &m_pipeline;
};

// "a.b" + "c" -> "a.b.c"; an empty base gives "c".
std::string joinField(const std::string &base, std::string_view key);

// A YAML mapping's entries in document order. Non-mappings, duplicate keys
// and non-text keys are errors; null counts as an empty mapping.
class MapView final {
public:
    struct Entry {
        std::string key;
        YAML::Node keyNode;
        YAML::Node value;
    };

    MapView(Reader &reader, const YAML::Node &node, std::string field);

    const std::string &field() const { return m_field; }
    const YAML::Node &node() const { return m_node; }
    const std::vector<Entry> &entries() const { return m_entries; }
    bool empty() const { return m_entries.empty(); }
    const Entry *find(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    YAML::Node value(std::string_view key) const; // undefined node when absent
    std::string sub(std::string_view key) const { return joinField(m_field, key); }

    // Unknown keys are typos more often than not: never skip them silently.
    void allowOnly(std::initializer_list<std::string_view> keys) const;
    void mark(std::string_view key, const std::string &sourceKey) const;

    std::string string(std::string_view key, const std::string &fallback = {}) const;
    bool boolean(std::string_view key, bool fallback) const;
    long long integer(std::string_view key, long long fallback) const;
    std::optional<double> number(std::string_view key) const;
    std::map<std::string, std::string> stringMap(std::string_view key) const;
    std::vector<std::string> stringList(std::string_view key) const;

private:
    Reader &m_reader;
    YAML::Node m_node;
    std::string m_field;
    std::vector<Entry> m_entries;
};

// Scalar helpers with the same error wording as MapView.
std::string readString(Reader &reader, const YAML::Node &node, const std::string &field);
std::vector<YAML::Node> readSequence(Reader &reader, const YAML::Node &node, const std::string &field);

// Bindings: plain values are constants; {param}, {task, output}, {loopItem,
// field}, {run}, {taskStatus}, {oneOf}, {template} and {constant} are forms.
Binding readBinding(Reader &reader, const YAML::Node &node, const std::string &field, int depth = 0);
OJson writeBinding(const Binding &binding);

// "String", "Integer", ..., "system.Dataset", "system.Model@1.0.0",
// "List[system.Dataset]", or {artifact, version, list} for odd titles.
PortType readPortType(Reader &reader, const YAML::Node &node, const std::string &field);
std::optional<ParameterType> parameterTypeFromName(std::string_view name); // also accepts model/IR spellings
std::string_view parameterTypeName(ParameterType type);
OJson writePortType(const PortType &type);

// name -> {type, sourceType, description, default, optional}, in file order.
std::vector<PortSpec> readPorts(Reader &reader, const YAML::Node &node, const std::string &field,
                                const std::string &sourceKeyPrefix);
OJson writePorts(const std::vector<PortSpec> &ports);

// tasks / groups / outputValues of a graph; `prefix` is "" at the root and
// "components.<id>.graph." for sub-pipelines (fields and source-map keys).
void readGraphBody(Reader &reader, const MapView &holder, const std::string &prefix, Graph &graph);
void writeGraphBody(const Graph &graph, OJson &out);

std::vector<Toleration> readTolerations(Reader &reader, const YAML::Node &node, const std::string &field);
OJson writeTolerations(const std::vector<Toleration> &tolerations);

// The `components` section.
void readComponents(Reader &reader, const YAML::Node &node);
OJson writeComponents(const Pipeline &pipeline);

// Container command lines: strings and v1-style placeholder maps.
std::vector<CommandArg> readCommandArgs(Reader &reader, const YAML::Node &node, const std::string &field,
                                        int depth = 0);
OJson writeCommandArgs(const std::vector<CommandArg> &args);

// Ordered NAME: value maps; duplicate names fall back to a list of pairs.
OJson writeOrderedPairs(const std::vector<std::pair<std::string, std::string>> &pairs, const char *keyName,
                        const char *valueName);
std::vector<std::pair<std::string, std::string>> readOrderedPairs(Reader &reader, const YAML::Node &node,
                                                                  const std::string &field,
                                                                  const char *keyName, const char *valueName);

OJson toOrdered(const nlohmann::json &value);

// Appends a member without the linear duplicate search of operator[], which
// would make sections with thousands of tasks quadratic. The first of
// duplicate keys wins when `seen` is given; without it keys must be unique.
void appendMember(OJson &object, const std::string &key, OJson value,
                  std::unordered_set<std::string> *seen = nullptr);

// Deep comparison of two components (their graphs by value, not pointer).
bool sameComponent(const Component &a, const Component &b);

} // namespace pw::docio
