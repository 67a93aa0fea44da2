// SPDX-License-Identifier: Apache-2.0
#include "engine/taskcontext.h"

#include <cmath>

namespace pw {

nlohmann::json ArtifactValue::toJson() const
{
    return {{"name", name},
            {"uri", uri},
            {"path", path},
            {"type", {{"schemaTitle", schemaTitle}, {"schemaVersion", schemaVersion}}},
            {"metadata", metadata}};
}

ArtifactValue ArtifactValue::fromJson(const nlohmann::json &j)
{
    ArtifactValue a;
    a.name = j.value("name", "");
    a.uri = j.value("uri", "");
    a.path = j.value("path", a.uri);
    if (auto t = j.find("type"); t != j.end() && t->is_object()) {
        a.schemaTitle = t->value("schemaTitle", a.schemaTitle);
        a.schemaVersion = t->value("schemaVersion", a.schemaVersion);
    }
    if (auto m = j.find("metadata"); m != j.end() && m->is_object())
        a.metadata = *m;
    return a;
}

namespace {

nlohmann::json artifactEntry(const ArtifactValue &a)
{
    return {{"name", a.name},
            {"uri", a.uri},
            {"type", {{"schemaTitle", a.schemaTitle}, {"schemaVersion", a.schemaVersion}}},
            {"metadata", a.metadata}};
}

} // namespace

nlohmann::json TaskContext::executorInput() const
{
    nlohmann::json inArtifacts = nlohmann::json::object();
    for (const auto &[name, list] : artifacts) {
        nlohmann::json entries = nlohmann::json::array();
        for (const ArtifactValue &a : list)
            entries.push_back(artifactEntry(a));
        inArtifacts[name] = {{"artifacts", entries}};
    }
    nlohmann::json outParams = nlohmann::json::object();
    for (const auto &[name, file] : outputParameterFiles)
        outParams[name] = {{"outputFile", file}};
    nlohmann::json outArtifacts = nlohmann::json::object();
    for (const auto &[name, a] : outputArtifacts)
        outArtifacts[name] = {{"artifacts", nlohmann::json::array({artifactEntry(a)})}};
    return {{"inputs", {{"parameterValues", parameters}, {"artifacts", inArtifacts}}},
            {"outputs", {{"parameters", outParams}, {"artifacts", outArtifacts}, {"outputFile", executorOutputFile}}}};
}

std::string parameterText(const nlohmann::json &value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_null())
        return "";
    if (value.is_number_float()) {
        const double d = value.get<double>();
        // An integral double prints without a fraction, as Python's json and KFP do for
        // integer parameters that passed through a float.
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e15)
            return nlohmann::json(static_cast<std::int64_t>(d)).dump();
    }
    return value.dump();
}

} // namespace pw
