// SPDX-License-Identifier: Apache-2.0
// The `components` section: referenced (path/url + sha256 pin), embedded
// KFP v1 component.yaml, or Pipewright's own lossless form.
#include "compiler/kfpplaceholders.h"
#include "formats/componentloader.h"
#include "formats/componentv1support.h"
#include "formats/documentio.h"
#include "formats/pipelineloader.h"

#include "util/yamljson.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>

namespace pw::docio {

namespace {

constexpr int kMaxArgDepth = 32;

struct RefKind {
    std::string_view key;
    CommandArg::Kind kind;
};

constexpr RefKind kRefKinds[] = {
    {"inputValue", CommandArg::Kind::InputValue},
    {"inputPath", CommandArg::Kind::InputPath},
    {"inputUri", CommandArg::Kind::InputUri},
    {"inputMetadata", CommandArg::Kind::InputMetadata},
    {"inputArtifacts", CommandArg::Kind::InputArtifacts},
    {"outputPath", CommandArg::Kind::OutputPath},
    {"outputUri", CommandArg::Kind::OutputUri},
    {"outputMetadata", CommandArg::Kind::OutputMetadata},
};

std::string lower(std::string s)
{
    for (char &c : s) {
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    }
    return s;
}

bool isSha256(const std::string &s)
{
    if (s.size() != 64)
        return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// Content-addressed: a remote component is found by its pin, so a document
// never depends on the network at read time and cannot silently change.
QString componentCacheDir()
{
    const QByteArray env = qgetenv("PIPEWRIGHT_COMPONENT_CACHE");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
           QStringLiteral("/pipewright/components");
}

// Components that a v1 graph component registered while loading join the
// pipeline's; an id that already names a different component is a conflict.
void mergeRegistry(Reader &reader, const Pipeline &scratch, const YAML::Node &at, const std::string &field)
{
    for (const auto &[id, component] : scratch.components) {
        auto [it, inserted] = reader.pipeline().components.emplace(id, component);
        if (!inserted && !sameComponent(it->second, component))
            reader.fail(at, field,
                        "the graph component defines an inner component '" + id +
                            "' that clashes with another component of that id; rename one of them");
    }
}

Component loadReferenced(Reader &reader, const std::string &id, const MapView &map,
                         const std::string &locationKey, const QString &filePath)
{
    const YAML::Node at = map.value(locationKey);
    const std::string field = map.sub(locationKey);
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly))
        reader.fail(at, field,
                    "cannot read component '" + id + "' from '" + filePath.toStdString() +
                        "': " + file.errorString().toStdString());
    const QByteArray bytes = file.readAll();
    const std::string pin = map.string("sha256");
    if (!pin.empty()) {
        if (!isSha256(pin))
            reader.fail(map.value("sha256"), map.sub("sha256"),
                        "the sha256 pin of component '" + id + "' must be 64 hexadecimal digits");
        const std::string actual =
            QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().toStdString();
        if (actual != lower(pin))
            reader.fail(map.value("sha256"), map.sub("sha256"),
                        "component '" + id + "' does not match its sha256 pin: '" + filePath.toStdString() +
                            "' has sha256 " + actual + ", the document pins " + pin +
                            "; if the component changed on purpose, update the pin");
    }

    Pipeline scratch;
    auto loaded = loadAnyComponentFile(filePath.toStdString(), scratch);
    if (!loaded)
        reader.fail(at, field, "component '" + id + "' failed to load: " + loaded.error().toString());
    mergeRegistry(reader, scratch, at, field);
    return std::move(loaded).value();
}

Component readEmbeddedV1(Reader &reader, const std::string &id, const MapView &map)
{
    Pipeline scratch;
    const YAML::Node node = map.value("embedded");
    if (!node.IsMap())
        reader.fail(node, map.sub("embedded"), "'embedded' must hold a KFP component.yaml mapping");
    auto parsed = parseComponentV1(node, reader.fileName(), scratch);
    if (!parsed) {
        Error e = parsed.error();
        e.message = "component '" + id + "': " + e.message;
        e.where.field =
            e.where.field.empty() ? map.sub("embedded") : map.sub("embedded") + "." + e.where.field;
        throw ReadFailure{std::move(e)};
    }
    mergeRegistry(reader, scratch, node, map.sub("embedded"));
    return std::move(parsed).value();
}

Component readNative(Reader &reader, const std::string &id, const MapView &map)
{
    map.allowOnly({"name", "description", "annotations", "labels", "inputs", "outputs", "container",
                   "importer", "graph", "path", "url", "embedded", "sha256"});
    const int bodies = int(map.has("container")) + int(map.has("importer")) + int(map.has("graph"));
    if (bodies != 1)
        reader.fail(
            map.node(), map.field(),
            "component '" + id +
                "' needs exactly one of: path, url, embedded (a KFP component.yaml), container, importer "
                "or graph");
    map.allowOnly({"name", "description", "annotations", "labels", "inputs", "outputs", "container",
                   "importer", "graph"});
    const std::string key = "components." + id;
    Component c;
    c.name = map.string("name");
    c.description = map.string("description");
    c.annotations = map.stringMap("annotations");
    c.labels = map.stringMap("labels");
    c.inputs = readPorts(reader, map.value("inputs"), map.sub("inputs"), key + ".inputs.");
    c.outputs = readPorts(reader, map.value("outputs"), map.sub("outputs"), key + ".outputs.");
    if (map.has("container")) {
        c.kind = Component::Kind::Container;
        const MapView box(reader, map.value("container"), map.sub("container"));
        box.allowOnly({"image", "command", "args", "env"});
        c.container.image = box.string("image");
        c.container.command = readCommandArgs(reader, box.value("command"), box.sub("command"));
        c.container.args = readCommandArgs(reader, box.value("args"), box.sub("args"));
        for (auto &[name, value] :
             readOrderedPairs(reader, box.value("env"), box.sub("env"), "name", "value"))
            c.container.env.push_back(EnvVar{name, value});
    } else if (map.has("importer")) {
        c.kind = Component::Kind::Importer;
        const MapView imp(reader, map.value("importer"), map.sub("importer"));
        imp.allowOnly({"artifactUri", "type", "reimport", "metadata"});
        c.importer.artifactUri = readBinding(reader, imp.value("artifactUri"), imp.sub("artifactUri"));
        c.importer.type = readPortType(reader, imp.value("type"), imp.sub("type"));
        c.importer.reimport = imp.boolean("reimport", false);
        if (imp.has("metadata"))
            c.importer.metadata = yamlToJson(imp.value("metadata"));
    } else {
        c.kind = Component::Kind::Graph;
        const MapView body(reader, map.value("graph"), map.sub("graph"));
        body.allowOnly({"tasks", "groups", "outputValues"});
        c.graph = std::make_shared<Graph>();
        readGraphBody(reader, body, key + ".graph.", *c.graph);
    }
    return c;
}

Component readComponent(Reader &reader, const MapView::Entry &entry, const std::string &field)
{
    const std::string &id = entry.key;
    const MapView map(reader, entry.value, field);
    if (map.empty())
        reader.fail(entry.keyNode, field, "component '" + id + "' is empty");
    Component c;
    if (map.has("path")) {
        map.allowOnly({"path", "sha256"});
        const std::string path = map.string("path");
        if (path.empty())
            reader.fail(map.value("path"), map.sub("path"), "component '" + id + "' has an empty path");
        const QString resolved = QDir(qs(reader.baseDir())).absoluteFilePath(qs(path));
        c = loadReferenced(reader, id, map, "path", QDir::cleanPath(resolved));
        c.source = ComponentSource{ComponentSource::Kind::Path, path, map.string("sha256")};
    } else if (map.has("url")) {
        map.allowOnly({"url", "sha256"});
        const std::string url = map.string("url");
        const std::string pin = map.string("sha256");
        const QUrl parsed(qs(url));
        QString file;
        if (parsed.isLocalFile()) {
            file = parsed.toLocalFile();
        } else if (!parsed.isValid() || parsed.scheme().isEmpty()) {
            reader.fail(map.value("url"), map.sub("url"),
                        "component '" + id + "' has an invalid URL '" + url + "'");
        } else if (pin.empty()) {
            reader.fail(
                map.value("url"), map.sub("url"),
                "component '" + id + "' from " + url +
                    " needs a sha256 pin: remote components are read from the local cache by their pin");
        } else {
            file = componentCacheDir() + '/' + qs(lower(pin)) + QStringLiteral(".yaml");
            if (!QFileInfo::exists(file))
                reader.fail(map.value("url"), map.sub("url"),
                            "component '" + id + "' (" + url +
                                ") is not in the component cache; download it to " + file.toStdString());
        }
        c = loadReferenced(reader, id, map, "url", file);
        c.source = ComponentSource{ComponentSource::Kind::Url, url, pin};
    } else if (map.has("embedded")) {
        map.allowOnly({"embedded"});
        c = readEmbeddedV1(reader, id, map);
        c.source = ComponentSource{};
    } else {
        c = readNative(reader, id, map);
    }
    return c;
}

// ------------------------------------------------------------------ writing

OJson writeCommandArg(const CommandArg &a)
{
    OJson out = OJson::object();
    switch (a.kind) {
    case CommandArg::Kind::Literal:
        return a.text;
    case CommandArg::Kind::ExecutorInput:
        out["executorInput"] = nullptr;
        return out;
    case CommandArg::Kind::Concat:
        out[isMarkedInterpolated(a) ? "join" : "concat"] = writeCommandArgs(a.items);
        return out;
    case CommandArg::Kind::IfPresent: {
        OJson body = OJson::object();
        OJson cond = OJson::object();
        cond["isPresent"] = a.name;
        body["cond"] = std::move(cond);
        body["then"] = writeCommandArgs(a.thenArgs);
        if (!a.elseArgs.empty())
            body["else"] = writeCommandArgs(a.elseArgs);
        out["if"] = std::move(body);
        return out;
    }
    case CommandArg::Kind::RunValue:
        out["runValue"] = a.text;
        return out;
    default:
        break;
    }
    for (const RefKind &r : kRefKinds) {
        if (r.kind == a.kind)
            out[std::string(r.key)] = a.name;
    }
    return out;
}

OJson writeV1Ports(const std::vector<PortSpec> &ports, bool isInput)
{
    OJson list = OJson::array();
    for (const PortSpec &p : ports) {
        OJson item = OJson::object();
        item["name"] = p.name;
        if (!p.type.sourceName.empty())
            item["type"] = p.type.sourceName;
        if (!p.description.empty())
            item["description"] = p.description;
        if (isInput && p.defaultValue)
            item["default"] = toOrdered(*p.defaultValue);
        if (isInput && p.optional && !p.defaultValue)
            item["optional"] = true;
        list.push_back(std::move(item));
    }
    return list;
}

// The component as KFP v1 component.yaml; only used when reading it back
// gives the very same component (checked by the caller).
OJson writeV1(const Component &c)
{
    OJson out = OJson::object();
    if (!c.name.empty())
        out["name"] = c.name;
    if (!c.description.empty())
        out["description"] = c.description;
    if (!c.annotations.empty() || !c.labels.empty()) {
        OJson md = OJson::object();
        if (!c.annotations.empty())
            md["annotations"] = c.annotations;
        if (!c.labels.empty())
            md["labels"] = c.labels;
        out["metadata"] = std::move(md);
    }
    if (!c.inputs.empty())
        out["inputs"] = writeV1Ports(c.inputs, true);
    if (!c.outputs.empty())
        out["outputs"] = writeV1Ports(c.outputs, false);
    OJson container = OJson::object();
    container["image"] = c.container.image;
    if (!c.container.command.empty())
        container["command"] = writeCommandArgs(c.container.command);
    if (!c.container.args.empty())
        container["args"] = writeCommandArgs(c.container.args);
    if (!c.container.env.empty()) {
        OJson env = OJson::object();
        for (const EnvVar &e : c.container.env)
            env[e.name] = e.value;
        container["env"] = std::move(env);
    }
    OJson implementation = OJson::object();
    implementation["container"] = std::move(container);
    out["implementation"] = std::move(implementation);
    return out;
}

bool survivesV1(const Component &c, const OJson &v1)
{
    if (c.kind != Component::Kind::Container)
        return false;
    auto parsed = parseComponentV1(jsonToYaml(v1), std::string("<embedded>"));
    return parsed && sameComponent(parsed.value(), c);
}

OJson writeNative(const Component &c)
{
    OJson out = OJson::object();
    if (!c.name.empty())
        out["name"] = c.name;
    if (!c.description.empty())
        out["description"] = c.description;
    if (!c.annotations.empty())
        out["annotations"] = c.annotations;
    if (!c.labels.empty())
        out["labels"] = c.labels;
    if (!c.inputs.empty())
        out["inputs"] = writePorts(c.inputs);
    if (!c.outputs.empty())
        out["outputs"] = writePorts(c.outputs);
    switch (c.kind) {
    case Component::Kind::Container: {
        OJson box = OJson::object();
        box["image"] = c.container.image;
        if (!c.container.command.empty())
            box["command"] = writeCommandArgs(c.container.command);
        if (!c.container.args.empty())
            box["args"] = writeCommandArgs(c.container.args);
        if (!c.container.env.empty()) {
            std::vector<std::pair<std::string, std::string>> pairs;
            for (const EnvVar &e : c.container.env)
                pairs.emplace_back(e.name, e.value);
            box["env"] = writeOrderedPairs(pairs, "name", "value");
        }
        out["container"] = std::move(box);
        break;
    }
    case Component::Kind::Importer: {
        OJson imp = OJson::object();
        imp["artifactUri"] = writeBinding(c.importer.artifactUri);
        imp["type"] = writePortType(c.importer.type);
        if (c.importer.reimport)
            imp["reimport"] = true;
        if (!(c.importer.metadata.is_object() && c.importer.metadata.empty()))
            imp["metadata"] = toOrdered(c.importer.metadata);
        out["importer"] = std::move(imp);
        break;
    }
    case Component::Kind::Graph: {
        OJson body = OJson::object();
        if (c.graph)
            writeGraphBody(*c.graph, body);
        out["graph"] = std::move(body);
        break;
    }
    }
    return out;
}

} // namespace

std::vector<CommandArg> readCommandArgs(Reader &reader, const YAML::Node &node, const std::string &field,
                                        int depth)
{
    std::vector<CommandArg> out;
    if (depth > kMaxArgDepth)
        reader.fail(node, field, "placeholders nested too deeply");
    const auto items = readSequence(reader, node, field);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const YAML::Node &item = items[i];
        const std::string sub = field + "[" + std::to_string(i) + "]";
        if (item.IsScalar()) {
            out.push_back(CommandArg::literal(item.Scalar()));
            continue;
        }
        const MapView map(reader, item, sub);
        if (map.entries().size() != 1)
            reader.fail(item, sub, "an argument is text or a placeholder mapping with exactly one key");
        const auto &[key, keyNode, value] = map.entries().front();
        const std::string valueField = map.sub(key);
        bool matched = false;
        for (const RefKind &r : kRefKinds) {
            if (r.key == key) {
                const std::string port = readString(reader, value, valueField);
                if (port.empty())
                    reader.fail(item, valueField, "'" + key + "' needs the name of a port");
                out.push_back(CommandArg::ref(r.kind, port));
                matched = true;
            }
        }
        if (matched)
            continue;
        if (key == "executorInput") {
            out.push_back(CommandArg::ref(CommandArg::Kind::ExecutorInput, {}));
        } else if (key == "concat") {
            CommandArg a;
            a.kind = CommandArg::Kind::Concat;
            a.items = readCommandArgs(reader, value, valueField, depth + 1);
            out.push_back(std::move(a));
        } else if (key == "join") {
            out.push_back(interpolatedConcat(readCommandArgs(reader, value, valueField, depth + 1)));
        } else if (key == "runValue") {
            const std::string spec = readString(reader, value, valueField);
            if (!RunValue::fromSpec(spec))
                reader.fail(value, valueField, "unknown run value '" + spec + "'");
            CommandArg a;
            a.kind = CommandArg::Kind::RunValue;
            a.text = spec;
            out.push_back(std::move(a));
        } else if (key == "if") {
            const MapView body(reader, value, valueField);
            body.allowOnly({"cond", "then", "else"});
            const MapView cond(reader, body.value("cond"), body.sub("cond"));
            cond.allowOnly({"isPresent"});
            CommandArg a;
            a.kind = CommandArg::Kind::IfPresent;
            a.name = cond.string("isPresent");
            if (a.name.empty())
                reader.fail(value, body.sub("cond"), "'if' needs cond: {isPresent: <input>}");
            a.thenArgs = readCommandArgs(reader, body.value("then"), body.sub("then"), depth + 1);
            a.elseArgs = readCommandArgs(reader, body.value("else"), body.sub("else"), depth + 1);
            out.push_back(std::move(a));
        } else {
            reader.fail(keyNode, valueField,
                        "unknown placeholder '" + key +
                            "' (expected inputValue, inputPath, inputUri, inputMetadata, inputArtifacts, "
                            "outputPath, outputUri, outputMetadata, executorInput, concat, join, if or "
                            "runValue)");
        }
    }
    return out;
}

OJson writeCommandArgs(const std::vector<CommandArg> &args)
{
    OJson out = OJson::array();
    for (const CommandArg &a : args)
        out.push_back(writeCommandArg(a));
    return out;
}

void readComponents(Reader &reader, const YAML::Node &node)
{
    const MapView components(reader, node, "components");
    for (const auto &e : components.entries()) {
        const std::string key = "components." + e.key;
        reader.mark(key, e.keyNode);
        Component c = readComponent(reader, e, components.sub(e.key));
        auto [it, inserted] = reader.pipeline().components.emplace(e.key, c);
        if (!inserted) {
            if (!sameComponent(it->second, c))
                reader.fail(
                    e.keyNode, key,
                    "component id '" + e.key +
                        "' is also used by an inner component of a graph component; rename one of them");
            it->second = std::move(c); // the document's own entry keeps its source
        }
    }
}

OJson writeComponents(const Pipeline &pipeline)
{
    OJson out = OJson::object();
    for (const auto &[id, c] : pipeline.components) {
        OJson entry = OJson::object();
        switch (c.source.kind) {
        case ComponentSource::Kind::Path:
        case ComponentSource::Kind::Url:
            entry[c.source.kind == ComponentSource::Kind::Path ? "path" : "url"] = c.source.location;
            if (!c.source.sha256.empty())
                entry["sha256"] = c.source.sha256;
            break;
        case ComponentSource::Kind::Embedded:
            if (OJson v1 = writeV1(c); survivesV1(c, v1))
                entry["embedded"] = std::move(v1);
            else
                entry = writeNative(c);
            break;
        }
        appendMember(out, id, std::move(entry));
    }
    return out;
}

} // namespace pw::docio
