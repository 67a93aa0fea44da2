// SPDX-License-Identifier: Apache-2.0
#include "formats/componentv1support.h"

#include "util/utf8.h"
#include "util/yamljson.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace pw::componentv1 {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Replaces each run of characters outside [keep] with `sep`, then strips `sep`
// from both ends: the shape of both KFP name sanitizers.
template <typename Keep> std::string squash(std::string_view name, char sep, Keep keep)
{
    std::string out;
    bool pendingSep = false;
    for (char ch : lower(name)) {
        if (keep(static_cast<unsigned char>(ch))) {
            if (pendingSep && !out.empty())
                out += sep;
            pendingSep = false;
            out += ch;
        } else {
            pendingSep = true;
        }
    }
    return out;
}

// type_utils.PARAMETER_TYPES_MAPPING (keys lowercased).
constexpr std::array<std::pair<std::string_view, ParameterType>, 13> kParameterTypes{{
    {"integer", ParameterType::Integer},
    {"int", ParameterType::Integer},
    {"double", ParameterType::Double},
    {"float", ParameterType::Double},
    {"string", ParameterType::String},
    {"str", ParameterType::String},
    {"text", ParameterType::String},
    {"bool", ParameterType::Boolean},
    {"boolean", ParameterType::Boolean},
    {"dict", ParameterType::Struct},
    {"list", ParameterType::List},
    {"jsonobject", ParameterType::Struct},
    {"jsonarray", ParameterType::List},
}};

// type_utils.ARTIFACT_CLASSES_MAPPING (keys lowercased).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kArtifactTypes{{
    {"artifact", "system.Artifact"},
    {"model", "system.Model"},
    {"dataset", "system.Dataset"},
    {"metrics", "system.Metrics"},
    {"classificationmetrics", "system.ClassificationMetrics"},
    {"slicedclassificationmetrics", "system.SlicedClassificationMetrics"},
    {"html", "system.HTML"},
    {"markdown", "system.Markdown"},
}};

std::optional<ParameterType> parameterTypeOf(const V1Type &t)
{
    if (!t.present)
        return std::nullopt;
    if (t.canonical == "PipelineTaskFinalStatus")
        return ParameterType::TaskFinalStatus;
    const std::string l = lower(t.canonical);
    for (const auto &[name, type] : kParameterTypes) {
        if (name == l)
            return type;
    }
    return std::nullopt;
}

// type_utils._GOOGLE_TYPES_PATTERN: "google." and a name.
bool isGoogleType(std::string_view s)
{
    if (!s.starts_with("google.") || s.size() == 7)
        return false;
    return std::all_of(s.begin() + 7, s.end(), [](unsigned char c) { return std::isalpha(c); });
}

std::optional<std::string> artifactTitleOf(const V1Type &t)
{
    if (!t.present)
        return std::nullopt;
    if (isGoogleType(t.canonical))
        return t.canonical;
    const std::string l = lower(t.canonical);
    for (const auto &[name, title] : kArtifactTypes) {
        if (name == l)
            return std::string(title);
    }
    return std::nullopt;
}

// YAML 1.2 core-schema typing of a plain scalar, for defaults written as YAML
// structures rather than JSON text.
nlohmann::json scalarToJson(const YAML::Node &n)
{
    const std::string &s = n.Scalar();
    if (n.Tag() == "!")
        return s; // quoted
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return nullptr;
    if (auto b = yamlBool(s); b && s != "yes" && s != "no" && s != "on" && s != "off")
        return *b;
    long long i = 0;
    if (auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
        ec == std::errc() && p == s.data() + s.size())
        return i;
    char *end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size() && std::isfinite(d))
        return d;
    return s;
}

nlohmann::json toJson(const YAML::Node &n, int depth)
{
    if (depth > 64 || !isSet(n))
        return nullptr;
    if (isScalar(n))
        return scalarToJson(n);
    if (isSequence(n)) {
        auto arr = nlohmann::json::array();
        for (const auto &item : n)
            arr.push_back(toJson(item, depth + 1));
        return arr;
    }
    auto obj = nlohmann::json::object();
    for (auto it = n.begin(); it != n.end(); ++it)
        obj[isScalar(it->first) ? it->first.Scalar() : std::string()] = toJson(it->second, depth + 1);
    return obj;
}

std::optional<long long> parseInteger(const YAML::Node &n)
{
    const std::string_view s = trim(n.Scalar());
    std::string_view digits = s;
    if (!digits.empty() && digits.front() == '+')
        digits.remove_prefix(1);
    long long v = 0;
    if (auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        ec == std::errc() && p == digits.data() + digits.size() && !digits.empty()) {
        return v;
    }
    // An unquoted 1.0 reaches Python's int() as a float and truncates cleanly;
    // only whole numbers are accepted here, anything else is a mistake.
    if (n.Tag() != "!") {
        char *end = nullptr;
        const std::string text(s);
        const double d = std::strtod(text.c_str(), &end);
        if (end == text.c_str() + text.size() && !text.empty() && std::isfinite(d) && d == std::floor(d) &&
            std::fabs(d) < 9.0e15) {
            return static_cast<long long>(d);
        }
    }
    return std::nullopt;
}

} // namespace

Location Ctx::location(const YAML::Node &node, const std::string &field) const
{
    Location loc;
    loc.file = file;
    loc.field = field;
    if (node.IsDefined()) {
        const YAML::Mark m = node.Mark();
        if (m.line >= 0) {
            loc.line = m.line + 1;
            loc.column = m.column + 1;
        }
    }
    return loc;
}

Error Ctx::error(const YAML::Node &node, const std::string &field, std::string message) const
{
    return Error{std::move(message), location(node, field)};
}

std::string sanitizeInputName(std::string_view name)
{
    return squash(name, '_',
                  [](unsigned char c) { return c == '_' || std::isdigit(c) || (c >= 'a' && c <= 'z'); });
}

std::string k8sName(std::string_view name)
{
    return squash(name, '-', [](unsigned char c) { return std::isdigit(c) || (c >= 'a' && c <= 'z'); });
}

std::string lastSegment(const std::string &field)
{
    const auto dot = field.rfind('.');
    std::string seg = dot == std::string::npos ? field : field.substr(dot + 1);
    return seg.substr(0, seg.find('['));
}

std::optional<bool> strToBool(std::string_view s)
{
    const std::string l = lower(s);
    for (const char *t : {"y", "yes", "t", "true", "on", "1"}) {
        if (l == t)
            return true;
    }
    for (const char *f : {"n", "no", "f", "false", "off", "0"}) {
        if (l == f)
            return false;
    }
    return std::nullopt;
}

std::optional<bool> yamlBool(std::string_view s)
{
    for (const char *t : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}) {
        if (s == t)
            return true;
    }
    for (const char *f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}) {
        if (s == f)
            return false;
    }
    return std::nullopt;
}

Result<V1Type> parseType(const Ctx &ctx, const YAML::Node &node, const std::string &field)
{
    V1Type t;
    if (!isSet(node))
        return t;
    if (isScalar(node)) {
        t.sourceName = node.Scalar();
    } else if (isMap(node) && node.size() == 1 && isScalar(node.begin()->first)) {
        // {TypeName: {properties}}: the properties refine the name for v1 type
        // checks only, and KFP 2 drops them.
        t.sourceName = node.begin()->first.Scalar();
    } else {
        return ctx.error(node, field, "'type' must be a type name or a one-key map {TypeName: {properties}}");
    }
    if (t.sourceName.empty())
        return t;
    t.present = true;
    std::string_view c = t.sourceName;
    if (c.starts_with("typing."))
        c.remove_prefix(7);
    const std::string l = lower(c);
    if (l.starts_with("list") || l.starts_with("dict"))
        c = c.substr(0, c.find('['));
    t.canonical = std::string(c);
    return t;
}

bool isKnownType(const V1Type &t)
{
    return parameterTypeOf(t) || artifactTitleOf(t);
}

PortType mapType(const V1Type &t, const Usage &usage, bool isInput)
{
    PortType out;
    if (const auto p = parameterTypeOf(t); p && (*p == ParameterType::TaskFinalStatus || !usage.byFile)) {
        out = PortType::param(*p);
    } else if (p) {
        // A parameter read as a file has no PipelineSpec form; an artifact
        // carries the same bytes and keeps the component runnable.
        out = PortType::artifact("system.Artifact");
    } else if (auto title = artifactTitleOf(t)) {
        out = PortType::artifact(*title);
    } else if (isInput && usage.byValue && !usage.byFile) {
        // v1 passed unknown types (GCSPath, GCPProjectID, untyped) by value as
        // text; KFP 2 would declare an artifact that no value placeholder can
        // read, so such inputs stay strings.
        out = PortType::param(ParameterType::String);
    } else {
        out = PortType::artifact("system.Artifact");
    }
    out.sourceName = t.sourceName;
    return out;
}

Result<nlohmann::json> typedValue(const Ctx &ctx, const YAML::Node &node, const std::string &field,
                                  ParameterType type)
{
    const bool structured = type == ParameterType::List || type == ParameterType::Struct;
    // Components of the KFP 1.8 library write `default: '{}'` for list
    // inputs, meaning none: an empty list, which PipelineSpec can carry.
    const auto emptyListFor = [type](const nlohmann::json &j) {
        return type == ParameterType::List && j.is_object() && j.empty() ? nlohmann::json::array() : j;
    };
    if (!isScalar(node)) {
        if (structured && (isMap(node) || isSequence(node)))
            return emptyListFor(toJson(node, 0));
        return ctx.error(node, field, "expected a string value");
    }
    const std::string &text = node.Scalar();
    switch (type) {
    case ParameterType::String:
        return nlohmann::json(text);
    case ParameterType::Integer:
        if (auto v = parseInteger(node))
            return nlohmann::json(*v);
        return ctx.error(node, field, "'" + text + "' is not an Integer");
    case ParameterType::Double: {
        const std::string t(trim(text));
        char *end = nullptr;
        const double d = std::strtod(t.c_str(), &end);
        if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(d))
            return ctx.error(node, field, "'" + text + "' is not a Float");
        return nlohmann::json(d);
    }
    case ParameterType::Boolean:
        if (auto b = strToBool(trim(text)))
            return nlohmann::json(*b);
        return ctx.error(node, field, "'" + text + "' is not a Boolean (true/false)");
    case ParameterType::List:
    case ParameterType::Struct: {
        // KFP tries JSON and keeps the text when it is not JSON.
        auto j = nlohmann::json::parse(text, nullptr, false);
        return j.is_discarded() ? nlohmann::json(text) : emptyListFor(j);
    }
    case ParameterType::TaskFinalStatus:
        break;
    }
    return ctx.error(node, field, "a PipelineTaskFinalStatus input takes no value");
}

std::optional<Error> resolveTypes(const Ctx &ctx, std::vector<PortDeclaration> &ports,
                                  const std::map<std::string, Usage> &usage, bool isInput)
{
    for (PortDeclaration &p : ports) {
        const auto it = usage.find(p.spec.name);
        p.spec.type = mapType(p.type, it == usage.end() ? Usage{} : it->second, isInput);
        if (!isInput)
            continue;
        if (p.spec.type.isParameter() && p.spec.type.parameter == ParameterType::TaskFinalStatus) {
            p.spec.optional = true; // the backend fills it in
            continue;
        }
        if (!isSet(p.defaultNode) || p.spec.type.isArtifact())
            continue; // PipelineSpec has no artifact defaults; the input stays optional.
        auto value = typedValue(ctx, p.defaultNode, p.field + ".default", p.spec.type.parameter);
        if (!value)
            return value.error();
        p.spec.defaultValue = std::move(value).value();
    }
    return std::nullopt;
}

std::optional<Error> optionalString(const Ctx &ctx, const YAML::Node &node, const std::string &field,
                                    std::string &out)
{
    if (!isSet(node))
        return std::nullopt;
    if (!isScalar(node)) {
        // Built with append: GCC 12 -O3 misreports "'" + std::string&& as -Wrestrict.
        std::string message = lastSegment(field);
        message.insert(message.begin(), '\'');
        message.append("' must be a string");
        return ctx.error(node, field, std::move(message));
    }
    out = node.Scalar();
    return std::nullopt;
}

Result<YAML::Node> loadYaml(std::string_view text, const std::string &fileName)
{
    if (auto utf8 = checkUtf8File(text, fileName); !utf8.ok())
        return utf8.error();
    try {
        YAML::Node root = YAML::Load(std::string(text));
        if (auto r = checkYamlTree(root, fileName); !r.ok())
            return r.error();
        return root;
    } catch (const YAML::Exception &e) {
        Error err;
        err.message = "YAML syntax error: " + e.msg;
        err.where.file = fileName;
        if (e.mark.line >= 0) {
            err.where.line = e.mark.line + 1;
            err.where.column = e.mark.column + 1;
        }
        return err;
    }
}

} // namespace pw::componentv1
