// SPDX-License-Identifier: Apache-2.0
#include "engine/outputcollector.h"

#include "util/confinedpath.h"
#include "util/utf8.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pw {

namespace fs = std::filesystem;

nlohmann::json TaskOutputs::toJson() const
{
    nlohmann::json arts = nlohmann::json::object();
    for (const auto &[name, list] : artifacts) {
        nlohmann::json entries = nlohmann::json::array();
        for (const ArtifactValue &a : list)
            entries.push_back(a.toJson());
        arts[name] = entries;
    }
    return {{"parameters", parameters}, {"artifacts", arts}};
}

TaskOutputs TaskOutputs::fromJson(const nlohmann::json &j)
{
    TaskOutputs out;
    if (auto p = j.find("parameters"); p != j.end() && p->is_object())
        out.parameters = *p;
    if (auto a = j.find("artifacts"); a != j.end() && a->is_object())
        for (const auto &[name, list] : a->items())
            for (const auto &entry : list)
                out.artifacts[name].push_back(ArtifactValue::fromJson(entry));
    return out;
}

Result<std::string> pathInside(const std::string &root, const std::string &name)
{
    const fs::path rel(name);
    if (name.empty() || rel.is_absolute())
        return Error{"output name '" + name +
                         "' is not a relative name; refusing to write outside the run directory",
                     {}};
    const fs::path base = fs::path(root).lexically_normal();
    const fs::path full = (base / rel).lexically_normal();
    const fs::path inside = full.lexically_relative(base);
    if (inside.empty() || inside == "." || *inside.begin() == "..")
        return Error{"output name '" + name + "' leaves the run directory; refusing to write outside it", {}};
    return full.string();
}

Result<nlohmann::json> typedParameter(const std::string &text, const std::string &type)
{
    auto bad = [&](const char *what) {
        std::string message = "'";
        message.append(text, 0, std::min<std::size_t>(text.size(), 200));
        message.append("' is not ").append(what);
        return Error{message, {}};
    };
    if (type == "STRING" || type.empty())
        return nlohmann::json(text);
    if (type == "NUMBER_INTEGER") {
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_number_integer())
            return j;
        if (j.is_number_float() &&
            j.get<double>() == static_cast<double>(static_cast<std::int64_t>(j.get<double>())))
            return nlohmann::json(static_cast<std::int64_t>(j.get<double>()));
        return bad("an integer");
    }
    if (type == "NUMBER_DOUBLE") {
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_number())
            return nlohmann::json(j.get<double>());
        return bad("a number");
    }
    if (type == "BOOLEAN") {
        std::string t;
        for (char c : text)
            if (!std::isspace(static_cast<unsigned char>(c)))
                t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (t == "true" || t == "1")
            return nlohmann::json(true);
        if (t == "false" || t == "0")
            return nlohmann::json(false);
        return bad("a boolean");
    }
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (type == "LIST" && j.is_array())
        return j;
    if (type == "STRUCT" && j.is_object())
        return j;
    if (j.is_discarded())
        return bad(type == "LIST" ? "a JSON list" : "a JSON object");
    return j;
}

Result<std::string> checkParameterText(const std::string &name, std::string text)
{
    if (auto nul = text.find('\0'); nul != std::string::npos)
        return Error{"output parameter '" + name + "' contains a NUL byte at offset " + std::to_string(nul) +
                         "; parameters are text: write binary data to an output artifact instead",
                     {}};
    if (auto bad = firstInvalidUtf8(text))
        return Error{notUtf8Message(text, *bad, "output parameter '" + name + "'"), {}};
    return text;
}

namespace {

std::optional<std::string> readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string sizeText(std::uintmax_t bytes)
{
    char buf[32];
    if (bytes >= 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    else
        std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
    return buf;
}

// A parameter file's text, or why it cannot be a parameter; the size is
// checked before reading so that a huge file costs nothing.
Result<std::string> readParameterFile(const std::string &name, const std::string &written,
                                      const std::string &runDir)
{
    auto path = resolveInside(runDir, written);
    if (!path.ok())
        return Error{"output parameter '" + name + "': " + path.error().message, {}};
    std::error_code ec;
    const auto size = fs::file_size(*path, ec);
    if (!ec && size > kMaxParameterBytes)
        return Error{"output parameter '" + name + "' is " + sizeText(size) + "; parameters are limited to " +
                         sizeText(kMaxParameterBytes) + ": write large data to an output artifact instead",
                     {}};
    auto text = readFile(*path);
    if (!text)
        return Error{"the task did not write output parameter '" + name + "' to " + written, {}};
    return checkParameterText(name, *text);
}

} // namespace

Result<TaskOutputs> collectOutputs(const ir::ComponentSpec &component, const TaskContext &ctx,
                                   const std::string &runDir)
{
    TaskOutputs out;
    nlohmann::json reported = nlohmann::json::object();
    auto executorOutput = resolveInside(runDir, ctx.executorOutputFile);
    if (!executorOutput.ok())
        return executorOutput.error();
    std::error_code ec;
    if (const auto size = fs::file_size(*executorOutput, ec); !ec && size > 16 * kMaxParameterBytes)
        return Error{"executor_output.json is " + sizeText(size) + "; at most " +
                         sizeText(16 * kMaxParameterBytes) + " is read",
                     {}};
    if (auto text = readFile(*executorOutput)) {
        reported = nlohmann::json::parse(*text, nullptr, false);
        if (!reported.is_object())
            return Error{"executor_output.json is not a JSON object", {}};
    }
    const nlohmann::json reportedParams = reported.value("parameterValues", nlohmann::json::object());
    for (const auto &[name, spec] : component.outputDefinitions.parameters) {
        if (reportedParams.contains(name)) {
            const nlohmann::json &value = reportedParams[name];
            if (value.is_string()) {
                if (auto r = checkParameterText(name, value.get<std::string>()); !r.ok())
                    return r.error();
            }
            if (const std::size_t size = value.dump().size(); size > kMaxParameterBytes)
                return Error{"output parameter '" + name + "' is " + sizeText(size) +
                                 "; parameters are limited to " + sizeText(kMaxParameterBytes),
                             {}};
            out.parameters[name] = value;
            continue;
        }
        auto file = ctx.outputParameterFiles.find(name);
        if (file == ctx.outputParameterFiles.end())
            return Error{"the task did not write output parameter '" + name + "'", {}};
        auto text = readParameterFile(name, file->second, runDir);
        if (!text.ok())
            return text.error();
        auto value = typedParameter(*text, spec.parameterType);
        if (!value.ok())
            return Error{"output parameter '" + name + "': " + value.error().message, {}};
        out.parameters[name] = *value;
    }
    const nlohmann::json reportedArtifacts = reported.value("artifacts", nlohmann::json::object());
    for (const auto &[name, a] : ctx.outputArtifacts) {
        ArtifactValue v = a;
        if (auto r = reportedArtifacts.find(name); r != reportedArtifacts.end()) {
            const auto &list = r->value("artifacts", nlohmann::json::array());
            if (!list.empty() && list.front().is_object()) {
                if (auto m = list.front().find("metadata"); m != list.front().end() && m->is_object())
                    v.metadata.update(*m);
            }
        }
        out.artifacts[name].push_back(std::move(v));
    }
    return out;
}

} // namespace pw
