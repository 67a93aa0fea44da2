// SPDX-License-Identifier: Apache-2.0
#include "targets/vertexwriter.h"

#include "ir/kfpplaceholder.h"
#include "ir/pipelinespecio.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace pw {

namespace {

Error fail(std::string message, std::string field = {})
{
    Error e{std::move(message), {}};
    e.where.field = std::move(field);
    return e;
}

std::string trimmed(const std::string &text)
{
    size_t begin = 0, end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])))
        ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])))
        --end;
    return text.substr(begin, end - begin);
}

// Vertex types parameterValues by the pipeline's inputDefinitions: a number
// sent as a string is rejected when the job starts, so type it here.
Result<nlohmann::json> typedValue(const std::string &name, const std::string &raw, const std::string &type)
{
    const std::string field = "runtimeConfig.parameterValues." + name;
    auto bad = [&](const std::string &expected) {
        return fail("pipeline parameter '" + name + "' must be " + expected + ", got '" + raw + "'", field);
    };
    if (type == "STRING")
        return nlohmann::json(raw);
    const std::string text = trimmed(raw);
    if (type == "NUMBER_INTEGER") {
        long long value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
            return bad("an integer");
        return nlohmann::json(value);
    }
    if (type == "NUMBER_DOUBLE") {
        char *end = nullptr;
        const double value = text.empty() ? 0.0 : std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value))
            return bad("a number");
        return nlohmann::json(value);
    }
    if (type == "BOOLEAN") {
        std::string lower;
        for (char c : text)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "true")
            return nlohmann::json(true);
        if (lower == "false")
            return nlohmann::json(false);
        return bad("true or false");
    }
    if (type == "LIST" || type == "STRUCT") {
        nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
        const bool ok = !value.is_discarded() && (type == "LIST" ? value.is_array() : value.is_object());
        if (!ok)
            return bad(type == "LIST" ? "a JSON list" : "a JSON object");
        return value;
    }
    return fail("pipeline parameter '" + name + "' has type " + type +
                    ", which cannot be set when starting a run",
                field);
}

// Vertex labels: lowercase letters, digits, '_' and '-' (international
// characters allowed), at most 64 characters; keys start with a letter.
bool validLabelText(const std::string &text, bool key)
{
    size_t codepoints = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c & 0xC0) != 0x80)
            ++codepoints;
        if (c >= 0x80)
            continue;
        const bool ok = std::islower(c) || std::isdigit(c) || c == '_' || c == '-';
        if (!ok || (key && i == 0 && !std::islower(c)))
            return false;
    }
    return codepoints <= 64 && (!key || !text.empty());
}

} // namespace

Result<nlohmann::json> vertexPipelineJob(const ir::PipelineSpec &spec, const VertexOptions &options)
{
    const auto &inputs = spec.root.inputDefinitions.parameters;
    nlohmann::json values = nlohmann::json::object();
    for (const auto &[name, raw] : options.parameterValues) {
        auto it = inputs.find(name);
        if (it == inputs.end())
            return fail("unknown pipeline parameter '" + name + "'", "runtimeConfig.parameterValues." + name);
        auto value = typedValue(name, raw, it->second.parameterType);
        if (!value)
            return value.error();
        values[name] = std::move(value.value());
    }

    const std::string outputDirectory =
        options.gcsOutputDirectory.empty() ? spec.defaultPipelineRoot : options.gcsOutputDirectory;
    if (outputDirectory.empty())
        return fail(
            "Vertex needs a Cloud Storage output directory: set the pipeline root or gcsOutputDirectory",
            "runtimeConfig.gcsOutputDirectory");
    if (outputDirectory.rfind("gs://", 0) != 0)
        return fail("Vertex output directory '" + outputDirectory + "' must be a gs:// path",
                    "runtimeConfig.gcsOutputDirectory");

    for (const auto &[key, value] : options.labels) {
        if (!validLabelText(key, true) || !validLabelText(value, false))
            return fail(
                "label '" + key + "=" + value +
                    "' is not a valid Vertex label (lowercase letters, digits, '_' and '-', at most 64 "
                    "characters, keys start with a letter)",
                "labels." + key);
    }

    nlohmann::json pipelineSpec = ir::pipelineSpecToJson(spec);
    // Only the Argo target expands Pipewright's own run-time placeholder.
    if (pipelineSpec.dump().find(ir::kPipewrightPlaceholderPrefix) != std::string::npos)
        return fail(
            "the pipeline uses a Pipewright run-time placeholder, which Vertex cannot run; compile it "
            "for KFP without native run-time formatting",
            "pipelineSpec");

    nlohmann::json job;
    job["displayName"] = !options.displayName.empty() ? options.displayName
                         : !spec.pipelineName.empty() ? spec.pipelineName
                                                      : spec.displayName;
    job["pipelineSpec"] = std::move(pipelineSpec);
    job["runtimeConfig"]["gcsOutputDirectory"] = outputDirectory;
    job["runtimeConfig"]["parameterValues"] = std::move(values);
    if (!options.serviceAccount.empty())
        job["serviceAccount"] = options.serviceAccount;
    if (!options.labels.empty())
        job["labels"] = options.labels;
    return job;
}

} // namespace pw
