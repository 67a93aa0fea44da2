// SPDX-License-Identifier: Apache-2.0
#include "compiler/parametervalues.h"

#include "util/utf8.h"

#include <algorithm>

namespace pw {

Result<nlohmann::json> parseParameterValue(const std::string &text, ParameterType t)
{
    if (auto invalid = firstInvalidUtf8(text))
        return Error{notUtf8Message(text, *invalid, "the value"), {}};
    auto bad = [&](const char *what) { return Error{"'" + text + "' is not " + what, {}}; };
    switch (t) {
    case ParameterType::String:
        return nlohmann::json(text);
    case ParameterType::Integer: {
        auto v = nlohmann::json::parse(text, nullptr, false);
        if (v.is_discarded() || !v.is_number_integer())
            return bad("an integer");
        return v;
    }
    case ParameterType::Double: {
        auto v = nlohmann::json::parse(text, nullptr, false);
        if (v.is_discarded() || !v.is_number())
            return bad("a number");
        return nlohmann::json(v.get<double>());
    }
    case ParameterType::Boolean: {
        std::string lower = text;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (lower == "true" || lower == "1")
            return nlohmann::json(true);
        if (lower == "false" || lower == "0")
            return nlohmann::json(false);
        return bad("a boolean (true or false)");
    }
    case ParameterType::List: {
        auto v = nlohmann::json::parse(text, nullptr, false);
        if (v.is_discarded() || !v.is_array())
            return bad("a JSON list");
        return v;
    }
    case ParameterType::Struct: {
        auto v = nlohmann::json::parse(text, nullptr, false);
        if (v.is_discarded() || !v.is_object())
            return bad("a JSON object");
        return v;
    }
    case ParameterType::TaskFinalStatus:
        return bad("settable (task final status is set by the run)");
    }
    return bad("a value");
}

Result<std::map<std::string, std::string>> parseAssignments(const std::vector<std::string> &pairs)
{
    std::map<std::string, std::string> out;
    for (const std::string &p : pairs) {
        auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0)
            return Error{"expected NAME=VALUE, got '" + p + "'", {}};
        if (auto invalid = firstInvalidUtf8(p.substr(0, eq)))
            return Error{notUtf8Message(p, *invalid, "a --param name"), {}};
        if (auto invalid = firstInvalidUtf8(p.substr(eq + 1)))
            return Error{notUtf8Message(p.substr(eq + 1), *invalid, "--param " + p.substr(0, eq)), {}};
        out[p.substr(0, eq)] = p.substr(eq + 1);
    }
    return out;
}

Result<bool> applyParameterValues(Pipeline &pipeline, const std::map<std::string, std::string> &values)
{
    for (const auto &[name, text] : values) {
        auto it = std::find_if(pipeline.inputs.begin(), pipeline.inputs.end(),
                               [&name = name](const PortSpec &p) { return p.name == name; });
        if (it == pipeline.inputs.end()) {
            std::string known;
            for (const PortSpec &p : pipeline.inputs)
                known += (known.empty() ? "" : ", ") + p.name;
            return Error{"the pipeline has no parameter '" + name +
                             "' (parameters: " + (known.empty() ? "none" : known) + ")",
                         {pipeline.fileName, 0, 0, "--param " + name, {}}};
        }
        if (it->type.isArtifact())
            return Error{"'" + name + "' is an artifact input; it cannot be set with --param", {}};
        auto v = parseParameterValue(text, it->type.parameter);
        if (!v.ok())
            return Error{"parameter '" + name + "': " + v.error().message,
                         {pipeline.fileName, 0, 0, "--param " + name, {}}};
        it->defaultValue = *v;
    }
    return true;
}

} // namespace pw
