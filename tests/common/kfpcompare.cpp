// SPDX-License-Identifier: Apache-2.0
#include "kfpcompare.h"

#include "util/yamljson.h"

#include <yaml-cpp/yaml.h>

namespace pw {
namespace {

std::string describe(const nlohmann::json &value)
{
    std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    constexpr size_t kMax = 120;
    if (text.size() > kMax)
        text = text.substr(0, kMax) + "...";
    return text;
}

const char *kindOf(const nlohmann::json &value)
{
    if (value.is_number_float())
        return "float";
    if (value.is_number_integer())
        return "int";
    return value.type_name();
}

class Differ final {
public:
    explicit Differ(const KfpDiffOptions &options) : m_options(options) {}

    void compare(const nlohmann::json &golden, const nlohmann::json &actual, const std::string &path)
    {
        if (golden.is_object() && actual.is_object()) {
            for (const auto &[key, value] : golden.items()) {
                const std::string child = path.empty() ? key : path + '.' + key;
                if (ignored(path, key))
                    continue;
                if (!actual.contains(key))
                    m_diffs.push_back(child + ": missing (golden has " + describe(value) + ')');
                else
                    compare(value, actual[key], child);
            }
            for (const auto &[key, value] : actual.items()) {
                if (!golden.contains(key) && !ignored(path, key))
                    m_diffs.push_back((path.empty() ? key : path + '.' + key) + ": unexpected " + describe(value));
            }
            return;
        }
        if (golden.is_array() && actual.is_array()) {
            if (golden.size() != actual.size())
                m_diffs.push_back(path + ": " + std::to_string(actual.size()) + " items, golden has "
                                  + std::to_string(golden.size()));
            for (size_t i = 0; i < std::min(golden.size(), actual.size()); ++i)
                compare(golden[i], actual[i], path + '[' + std::to_string(i) + ']');
            return;
        }
        // int and unsigned are one kind; float is another even when the value is equal.
        const bool sameKind = golden.is_number() && actual.is_number()
            ? golden.is_number_float() == actual.is_number_float()
            : golden.type() == actual.type();
        if (!sameKind) {
            m_diffs.push_back(path + ": " + describe(actual) + " (" + kindOf(actual) + "), golden has "
                              + describe(golden) + " (" + kindOf(golden) + ')');
        } else if (golden != actual) {
            m_diffs.push_back(path + ": " + describe(actual) + ", golden has " + describe(golden));
        }
    }

    std::vector<std::string> take() { return std::move(m_diffs); }

private:
    // `path` is the parent of `key`; array indices are part of it ("[1].sdkVersion" for a second document).
    bool ignored(const std::string &path, const std::string &key) const
    {
        const bool topLevel = path.empty() || (path.front() == '[' && path.find('.') == std::string::npos);
        if (key == "sdkVersion" && topLevel)
            return true;
        if (m_options.ignorePipelineName && key == "name" && path.ends_with("pipelineInfo"))
            return true;
        if (m_options.ignoreImageAndCommand && (key == "image" || key == "command")
            && path.find("deploymentSpec.executors.") != std::string::npos && path.ends_with(".container"))
            return true;
        return false;
    }

    KfpDiffOptions m_options;
    std::vector<std::string> m_diffs;
};

} // namespace

std::vector<std::string> kfpDiff(const nlohmann::json &golden, const nlohmann::json &actual,
                                 const KfpDiffOptions &options)
{
    Differ differ(options);
    differ.compare(golden, actual, "");
    return differ.take();
}

nlohmann::json loadYamlDocsAsJson(const QString &path)
{
    nlohmann::json docs = nlohmann::json::array();
    const std::string file = path.toStdString();
    Result<std::string> text = readTextFile(file);
    if (!text)
        return docs;
    Result<std::vector<YAML::Node>> parsed = parseYamlDocuments(*text, file);
    if (!parsed)
        return docs;
    for (const YAML::Node &doc : *parsed)
        docs.push_back(yamlToJson(doc));
    return docs;
}

} // namespace pw
