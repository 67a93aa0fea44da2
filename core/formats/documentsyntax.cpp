// SPDX-License-Identifier: Apache-2.0
// Building blocks of the document format: located reading of YAML nodes,
// bindings, port types and ports.
#include "formats/documentio.h"

#include "util/nearestname.h"
#include "util/yamljson.h"

#include <algorithm>
#include <array>
#include <set>

namespace pw::docio {

namespace {

constexpr int kMaxDepth = 64;

std::string lastSegment(const std::string &field)
{
    const auto dot = field.rfind('.');
    return dot == std::string::npos ? field : field.substr(dot + 1);
}

std::string describeNode(const YAML::Node &node)
{
    if (!node.IsDefined() || node.IsNull())
        return "nothing";
    if (node.IsSequence())
        return "a list";
    if (node.IsMap())
        return "a mapping";
    return "'" + node.Scalar() + "'";
}

constexpr std::array<std::string_view, 8> kBindingKeys = {"param",      "task",  "loopItem", "run",
                                                          "taskStatus", "oneOf", "template", "constant"};

bool isBindingKey(std::string_view key)
{
    return std::find(kBindingKeys.begin(), kBindingKeys.end(), key) != kBindingKeys.end();
}

// A constant must not hide a binding form anywhere inside it: the reader
// would take it literally while its author meant a reference.
bool hasBindingForm(const nlohmann::json &value, int depth = 0)
{
    if (depth > kMaxDepth)
        return false;
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (isBindingKey(it.key()) || hasBindingForm(it.value(), depth + 1))
                return true;
        }
    } else if (value.is_array()) {
        for (const auto &item : value) {
            if (hasBindingForm(item, depth + 1))
                return true;
        }
    }
    return false;
}

constexpr std::array<std::pair<std::string_view, ParameterType>, 7> kParameterNames = {{
    {"String", ParameterType::String},
    {"Integer", ParameterType::Integer},
    {"Float", ParameterType::Double},
    {"Boolean", ParameterType::Boolean},
    {"List", ParameterType::List},
    {"Dict", ParameterType::Struct},
    {"PipelineTaskFinalStatus", ParameterType::TaskFinalStatus},
}};

// Spellings from the model and the IR that readers may reach for.
constexpr std::array<std::pair<std::string_view, ParameterType>, 3> kParameterAliases = {{
    {"Double", ParameterType::Double},
    {"Struct", ParameterType::Struct},
    {"TaskFinalStatus", ParameterType::TaskFinalStatus},
}};

std::optional<ParameterType> parameterFromNameImpl(std::string_view name)
{
    for (const auto &[n, t] : kParameterNames) {
        if (n == name)
            return t;
    }
    for (const auto &[n, t] : kParameterAliases) {
        if (n == name)
            return t;
    }
    return std::nullopt;
}

std::string_view parameterNameImpl(ParameterType t)
{
    for (const auto &[n, type] : kParameterNames) {
        if (type == t)
            return n;
    }
    return "String";
}

// The compact string form is unambiguous only for titles that cannot be
// confused with a parameter type or the list/version syntax.
bool hasCompactForm(const PortType &t)
{
    const std::string &title = t.schemaTitle;
    return !title.empty() && !parameterFromNameImpl(title) &&
           title.find_first_of("@[] ") == std::string::npos && !t.schemaVersion.empty() &&
           t.schemaVersion.find_first_of("@[] ") == std::string::npos;
}

} // namespace

// ------------------------------------------------------------------ Reader

Location Reader::locate(const YAML::Node &at, const std::string &field) const
{
    Location where;
    where.file = m_fileName;
    where.field = field;
    if (at.IsDefined()) {
        const YAML::Mark mark = at.Mark();
        if (mark.line >= 0) {
            where.line = mark.line + 1;
            where.column = mark.column + 1;
        }
    }
    return where;
}

void Reader::fail(const YAML::Node &at, const std::string &field, const std::string &message) const
{
    throw ReadFailure{Error{message, locate(at, field)}};
}

void Reader::mark(const std::string &key, const YAML::Node &at)
{
    m_pipeline.sourceMap[key] = locate(at, key);
}

std::string joinField(const std::string &base, std::string_view key)
{
    if (base.empty())
        return std::string(key);
    std::string out = base;
    out += '.';
    out += key;
    return out;
}

// ------------------------------------------------------------------ MapView

MapView::MapView(Reader &reader, const YAML::Node &node, std::string field)
    : m_reader(reader), m_node(node), m_field(std::move(field))
{
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!node.IsMap())
        reader.fail(node, m_field,
                    "expected a mapping for '" + lastSegment(m_field) + "', found " + describeNode(node));
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first;
        if (!key.IsScalar() || key.Scalar().empty())
            reader.fail(key, m_field, "keys of '" + lastSegment(m_field) + "' must be non-empty text");
        if (!seen.insert(key.Scalar()).second)
            reader.fail(key, joinField(m_field, key.Scalar()),
                        "duplicate key '" + key.Scalar() + "'; each key may appear only once");
        m_entries.push_back(Entry{key.Scalar(), key, it->second});
    }
}

const MapView::Entry *MapView::find(std::string_view key) const
{
    auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.key == key; });
    return it == m_entries.end() ? nullptr : &*it;
}

YAML::Node MapView::value(std::string_view key) const
{
    const Entry *e = find(key);
    return e ? e->value : YAML::Node(YAML::NodeType::Undefined);
}

void MapView::allowOnly(std::initializer_list<std::string_view> keys) const
{
    for (const Entry &e : m_entries) {
        if (std::find(keys.begin(), keys.end(), e.key) != keys.end())
            continue;
        std::string message = "unknown key '" + e.key + "'" +
                              (m_field.empty() ? std::string(" at the top level") : " in '" + m_field + "'");
        if (const std::string_view best = nearestName(e.key, keys); !best.empty()) {
            message += "; did you mean '" + std::string(best) + "'?";
        } else {
            message += " (expected ";
            bool first = true;
            for (std::string_view k : keys) {
                message += (first ? "" : ", ") + std::string(k);
                first = false;
            }
            message += ")";
        }
        m_reader.fail(e.keyNode, sub(e.key), message);
    }
}

void MapView::mark(std::string_view key, const std::string &sourceKey) const
{
    if (const Entry *e = find(key))
        m_reader.mark(sourceKey, e->keyNode);
}

std::string MapView::string(std::string_view key, const std::string &fallback) const
{
    const Entry *e = find(key);
    if (!e || e->value.IsNull())
        return fallback;
    return readString(m_reader, e->value, sub(key));
}

bool MapView::boolean(std::string_view key, bool fallback) const
{
    const Entry *e = find(key);
    if (!e || e->value.IsNull())
        return fallback;
    const nlohmann::json v = e->value.IsScalar() ? yamlToJson(e->value) : nlohmann::json();
    if (!v.is_boolean())
        m_reader.fail(e->value, sub(key),
                      "expected true or false for '" + std::string(key) + "', found " +
                          describeNode(e->value));
    return v.get<bool>();
}

long long MapView::integer(std::string_view key, long long fallback) const
{
    const Entry *e = find(key);
    if (!e || e->value.IsNull())
        return fallback;
    const nlohmann::json v = e->value.IsScalar() ? yamlToJson(e->value) : nlohmann::json();
    if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<unsigned long long>() > (1ULL << 62)))
        m_reader.fail(e->value, sub(key),
                      "expected a whole number for '" + std::string(key) + "', found " +
                          describeNode(e->value));
    return v.get<long long>();
}

std::optional<double> MapView::number(std::string_view key) const
{
    const Entry *e = find(key);
    if (!e || e->value.IsNull())
        return std::nullopt;
    const nlohmann::json v = e->value.IsScalar() ? yamlToJson(e->value) : nlohmann::json();
    if (!v.is_number())
        m_reader.fail(e->value, sub(key),
                      "expected a number for '" + std::string(key) + "', found " + describeNode(e->value));
    return v.get<double>();
}

std::map<std::string, std::string> MapView::stringMap(std::string_view key) const
{
    std::map<std::string, std::string> out;
    const MapView map(m_reader, value(key), sub(key));
    for (const Entry &e : map.entries())
        out[e.key] = e.value.IsNull() ? std::string() : readString(m_reader, e.value, map.sub(e.key));
    return out;
}

std::vector<std::string> MapView::stringList(std::string_view key) const
{
    std::vector<std::string> out;
    const std::string field = sub(key);
    const auto items = readSequence(m_reader, value(key), field);
    for (std::size_t i = 0; i < items.size(); ++i)
        out.push_back(readString(m_reader, items[i], field + "[" + std::to_string(i) + "]"));
    return out;
}

std::string readString(Reader &reader, const YAML::Node &node, const std::string &field)
{
    if (!node.IsDefined() || node.IsNull())
        return {};
    if (!node.IsScalar())
        reader.fail(node, field,
                    "expected text for '" + lastSegment(field) + "', found " + describeNode(node));
    return node.Scalar();
}

std::vector<YAML::Node> readSequence(Reader &reader, const YAML::Node &node, const std::string &field)
{
    std::vector<YAML::Node> out;
    if (!node.IsDefined() || node.IsNull())
        return out;
    if (!node.IsSequence())
        reader.fail(node, field,
                    "expected a list for '" + lastSegment(field) + "', found " + describeNode(node));
    for (const YAML::Node &item : node)
        out.push_back(item);
    return out;
}

// ------------------------------------------------------------------ bindings

Binding readBinding(Reader &reader, const YAML::Node &node, const std::string &field, int depth)
{
    if (depth > kMaxDepth)
        reader.fail(node, field, "bindings nested too deeply");
    if (!node.IsDefined() || node.IsNull())
        return Binding{};
    if (node.IsScalar())
        return Binding::constant(yamlToJson(node));

    const MapView map(reader, node.IsMap() ? node : YAML::Node(), field);
    std::vector<std::string> forms;
    for (const auto &e : map.entries()) {
        if (isBindingKey(e.key))
            forms.push_back(e.key);
    }
    if (forms.empty()) {
        nlohmann::json value = yamlToJson(node);
        if (hasBindingForm(value))
            reader.fail(
                node, field,
                "this value contains a binding form ({param: ...}, {task: ...}, ...) inside a list or "
                "mapping, which is not supported; to pass it literally write {constant: ...}");
        return Binding::constant(std::move(value));
    }
    if (forms.size() > 1)
        reader.fail(node, field,
                    "a binding has exactly one form, but this one mixes '" + forms[0] + "' and '" + forms[1] +
                        "'");

    const std::string &form = forms.front();
    const YAML::Node v = map.value(form);
    const std::string sub = map.sub(form);
    auto requireText = [&](const YAML::Node &n, const std::string &f, const char *what) {
        const std::string s = n.IsScalar() ? n.Scalar() : std::string();
        if (s.empty())
            reader.fail(n.IsDefined() ? n : node, f, std::string("expected ") + what);
        return s;
    };

    if (form == "constant") {
        map.allowOnly({"constant"});
        return Binding::constant(yamlToJson(v));
    }
    if (form == "param") {
        map.allowOnly({"param"});
        return Binding::parameter(requireText(v, sub, "the name of a pipeline parameter"));
    }
    if (form == "task") {
        map.allowOnly({"task", "output"});
        if (!map.has("output"))
            reader.fail(node, field, "{task: ...} needs 'output', the name of the task's output");
        return Binding::taskOutput(requireText(v, sub, "a task id"),
                                   requireText(map.value("output"), map.sub("output"), "an output name"));
    }
    if (form == "loopItem") {
        map.allowOnly({"loopItem", "field"});
        return Binding::loopItem(requireText(v, sub, "the id of a loop group"), map.string("field"));
    }
    if (form == "taskStatus") {
        map.allowOnly({"taskStatus"});
        return Binding::taskStatus(requireText(v, sub, "a task id"));
    }
    if (form == "run") {
        map.allowOnly({"run"});
        const std::string spec = requireText(v, sub, "a run value such as run.created:%Y%m%d@UTC");
        const auto run = RunValue::fromSpec(spec);
        if (!run)
            reader.fail(
                v, sub,
                "unknown run value '" + spec +
                    "' (expected run.name, run.id, run.task, run.root, or run.created / run.scheduled "
                    "with an optional :<strftime format> and @<time zone>)");
        return Binding::runValue(*run);
    }
    // oneOf / template: a list of bindings
    map.allowOnly({form == "oneOf" ? std::string_view("oneOf") : std::string_view("template")});
    Binding b;
    b.kind = form == "oneOf" ? Binding::Kind::OneOf : Binding::Kind::Template;
    const auto items = readSequence(reader, v, sub);
    for (std::size_t i = 0; i < items.size(); ++i)
        b.options.push_back(readBinding(reader, items[i], sub + "[" + std::to_string(i) + "]", depth + 1));
    return b;
}

OJson writeBinding(const Binding &b)
{
    OJson out = OJson::object();
    switch (b.kind) {
    case Binding::Kind::None:
        return nullptr;
    case Binding::Kind::Constant:
        if (b.value.is_null() || hasBindingForm(b.value)) {
            out["constant"] = toOrdered(b.value);
            return out;
        }
        return toOrdered(b.value);
    case Binding::Kind::Parameter:
        out["param"] = b.name;
        break;
    case Binding::Kind::TaskOutput:
        out["task"] = b.task;
        out["output"] = b.name;
        break;
    case Binding::Kind::LoopItem:
        out["loopItem"] = b.group;
        if (!b.field.empty())
            out["field"] = b.field;
        break;
    case Binding::Kind::RunValue:
        out["run"] = b.run.toSpec();
        break;
    case Binding::Kind::TaskStatus:
        out["taskStatus"] = b.task;
        break;
    case Binding::Kind::OneOf:
    case Binding::Kind::Template: {
        OJson list = OJson::array();
        for (const Binding &option : b.options)
            list.push_back(writeBinding(option));
        out[b.kind == Binding::Kind::OneOf ? "oneOf" : "template"] = std::move(list);
        break;
    }
    }
    return out;
}

void appendMember(OJson &object, const std::string &key, OJson value, std::unordered_set<std::string> *seen)
{
    if (seen && !seen->insert(key).second)
        return;
    if (!object.is_object())
        object = OJson::object();
    object.get_ref<OJson::object_t &>().emplace_back(key, std::move(value));
}

OJson toOrdered(const nlohmann::json &value)
{
    // The generic converting constructor would do, but recursion keeps the
    // number kinds (int/unsigned/float) exactly as they were.
    switch (value.type()) {
    case nlohmann::json::value_t::object: {
        OJson out = OJson::object();
        for (auto it = value.begin(); it != value.end(); ++it)
            out[it.key()] = toOrdered(it.value());
        return out;
    }
    case nlohmann::json::value_t::array: {
        OJson out = OJson::array();
        for (const auto &item : value)
            out.push_back(toOrdered(item));
        return out;
    }
    case nlohmann::json::value_t::string:
        return value.get<std::string>();
    case nlohmann::json::value_t::boolean:
        return value.get<bool>();
    case nlohmann::json::value_t::number_integer:
        return value.get<std::int64_t>();
    case nlohmann::json::value_t::number_unsigned:
        return value.get<std::uint64_t>();
    case nlohmann::json::value_t::number_float:
        return value.get<double>();
    default:
        return nullptr;
    }
}

// ------------------------------------------------------------------ port types

std::optional<ParameterType> parameterTypeFromName(std::string_view name)
{
    return parameterFromNameImpl(name);
}
std::string_view parameterTypeName(ParameterType type)
{
    return parameterNameImpl(type);
}

PortType readPortType(Reader &reader, const YAML::Node &node, const std::string &field)
{
    if (!node.IsDefined() || node.IsNull())
        return PortType::param(ParameterType::String);
    if (node.IsMap()) {
        const MapView map(reader, node, field);
        map.allowOnly({"artifact", "version", "list"});
        PortType t = PortType::artifact(map.string("artifact"), map.string("version", "0.0.1"));
        t.isArtifactList = map.boolean("list", false);
        return t;
    }
    std::string text = readString(reader, node, field);
    if (const auto p = parameterFromNameImpl(text))
        return PortType::param(*p);
    PortType t;
    t.kind = PortType::Kind::Artifact;
    if (text.starts_with("List[") && text.ends_with("]")) {
        t.isArtifactList = true;
        text = text.substr(5, text.size() - 6);
    }
    const auto at = text.find('@');
    if (at != std::string::npos) {
        t.schemaVersion = text.substr(at + 1);
        text.resize(at);
    }
    t.schemaTitle = text;
    // A bare word is far more likely a misspelt parameter type than an
    // artifact schema, which KFP always writes with a namespace.
    if (t.schemaTitle.find('.') == std::string::npos || t.schemaVersion.empty())
        reader.fail(
            node, field,
            "unknown type '" + readString(reader, node, field) +
                "' (parameters: String, Integer, Float, Boolean, List, Dict; artifacts: a schema title "
                "such as system.Dataset, optionally @version or inside List[...])");
    return t;
}

OJson writePortType(const PortType &t)
{
    if (t.isParameter())
        return std::string(parameterNameImpl(t.parameter));
    if (!hasCompactForm(t) || t.schemaTitle.find('.') == std::string::npos) {
        OJson out = OJson::object();
        out["artifact"] = t.schemaTitle;
        if (t.schemaVersion != "0.0.1")
            out["version"] = t.schemaVersion;
        if (t.isArtifactList)
            out["list"] = true;
        return out;
    }
    std::string text = t.schemaTitle;
    if (t.schemaVersion != "0.0.1")
        text += "@" + t.schemaVersion;
    return t.isArtifactList ? "List[" + text + "]" : text;
}

std::vector<PortSpec> readPorts(Reader &reader, const YAML::Node &node, const std::string &field,
                                const std::string &sourceKeyPrefix)
{
    std::vector<PortSpec> ports;
    const MapView map(reader, node, field);
    for (const auto &e : map.entries()) {
        const MapView port(reader, e.value, map.sub(e.key));
        port.allowOnly({"type", "sourceType", "description", "default", "optional"});
        PortSpec spec;
        spec.name = e.key;
        spec.type = readPortType(reader, port.value("type"), port.sub("type"));
        spec.type.sourceName = port.string("sourceType");
        spec.description = port.string("description");
        if (port.has("default"))
            spec.defaultValue = yamlToJson(port.value("default"));
        spec.optional = port.boolean("optional", false);
        reader.mark(sourceKeyPrefix + e.key, e.keyNode);
        ports.push_back(std::move(spec));
    }
    return ports;
}

OJson writePorts(const std::vector<PortSpec> &ports)
{
    OJson out = OJson::object();
    std::unordered_set<std::string> names;
    for (const PortSpec &p : ports) {
        OJson port = OJson::object();
        port["type"] = writePortType(p.type);
        if (!p.type.sourceName.empty())
            port["sourceType"] = p.type.sourceName;
        if (!p.description.empty())
            port["description"] = p.description;
        if (p.defaultValue)
            port["default"] = toOrdered(*p.defaultValue);
        if (p.optional)
            port["optional"] = true;
        appendMember(out, p.name, std::move(port), &names);
    }
    return out;
}

// ------------------------------------------------------------------ misc

OJson writeOrderedPairs(const std::vector<std::pair<std::string, std::string>> &pairs, const char *keyName,
                        const char *valueName)
{
    std::set<std::string> names;
    bool unique = true;
    for (const auto &[k, v] : pairs)
        unique = unique && !k.empty() && names.insert(k).second;
    if (unique) {
        OJson out = OJson::object();
        for (const auto &[k, v] : pairs)
            out[k] = v;
        return out;
    }
    OJson out = OJson::array();
    for (const auto &[k, v] : pairs) {
        OJson item = OJson::object();
        item[keyName] = k;
        item[valueName] = v;
        out.push_back(std::move(item));
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> readOrderedPairs(Reader &reader, const YAML::Node &node,
                                                                  const std::string &field,
                                                                  const char *keyName, const char *valueName)
{
    std::vector<std::pair<std::string, std::string>> out;
    if (node.IsSequence()) {
        const auto items = readSequence(reader, node, field);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const MapView item(reader, items[i], field + "[" + std::to_string(i) + "]");
            item.allowOnly({keyName, valueName});
            out.emplace_back(item.string(keyName), item.string(valueName));
        }
        return out;
    }
    const MapView map(reader, node, field);
    for (const auto &e : map.entries())
        out.emplace_back(e.key, readString(reader, e.value, map.sub(e.key)));
    return out;
}

bool sameComponent(const Component &a, const Component &b)
{
    if (a.name != b.name || a.description != b.description || a.inputs != b.inputs ||
        a.outputs != b.outputs || a.annotations != b.annotations || a.labels != b.labels || a.kind != b.kind)
        return false;
    switch (a.kind) {
    case Component::Kind::Container:
        return a.container == b.container;
    case Component::Kind::Importer:
        return a.importer == b.importer;
    case Component::Kind::Graph:
        return (!a.graph && !b.graph) || (a.graph && b.graph && *a.graph == *b.graph);
    }
    return false;
}

} // namespace pw::docio
