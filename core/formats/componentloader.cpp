// SPDX-License-Identifier: Apache-2.0
#include "formats/componentloader.h"

#include "formats/componentv1support.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace pw {

namespace v1 = componentv1;

namespace {

using v1::Ctx;
using v1::isMap;
using v1::isScalar;
using v1::isSequence;
using v1::isSet;
using v1::PortDeclaration;
using v1::Usage;

struct RefUse {
    CommandArg::Kind kind;
    std::string port; // sanitized name
    Location where;
};

// Builds CommandArgs from v1 placeholders, checking every reference against
// the declared interface and recording where each one sits.
class ArgParser final {
public:
    ArgParser(const Ctx &ctx, const std::vector<PortDeclaration> &inputs,
              const std::vector<PortDeclaration> &outputs)
        : m_ctx(ctx), m_inputs(inputs), m_outputs(outputs)
    {
    }

    std::optional<Error> parseList(const YAML::Node &node, const std::string &field,
                                   std::vector<CommandArg> &out)
    {
        if (!isSet(node))
            return std::nullopt;
        if (!isSequence(node))
            return m_ctx.error(node, field, "'" + v1::lastSegment(field) + "' must be a list");
        for (std::size_t i = 0; i < node.size(); ++i) {
            if (auto e = parseItem(node[i], field + "[" + std::to_string(i) + "]", out, 0))
                return e;
        }
        return std::nullopt;
    }

    const std::vector<RefUse> &uses() const { return m_uses; }

private:
    // Appends what one v1 argument expands to: usually one CommandArg, none or
    // several for an `if` whose condition is a constant.
    std::optional<Error> parseItem(const YAML::Node &node, const std::string &field,
                                   std::vector<CommandArg> &out, int depth)
    {
        if (depth > 32)
            return m_ctx.error(node, field, "placeholders nested too deeply");
        if (isScalar(node)) {
            out.push_back(CommandArg::literal(node.Scalar()));
            return std::nullopt;
        }
        if (!isMap(node)) {
            return m_ctx.error(node, field,
                               isSequence(node) ? "a nested list is not a valid argument"
                                                : "an empty argument is not valid");
        }
        if (node.size() != 1) {
            return m_ctx.error(
                node, field, "a placeholder must have exactly one key, found " + std::to_string(node.size()));
        }
        const auto entry = node.begin();
        if (!isScalar(entry->first))
            return m_ctx.error(node, field, "a placeholder key must be a string");
        const std::string key = entry->first.Scalar();
        const YAML::Node value = entry->second;
        const std::string sub = field + "." + key;
        using K = CommandArg::Kind;
        if (key == "inputValue" || key == "inputPath" || key == "inputUri") {
            const K kind = key == "inputValue"  ? K::InputValue
                           : key == "inputPath" ? K::InputPath
                                                : K::InputUri;
            return addRef(node, value, sub, kind, m_inputs, "input", out);
        }
        if (key == "outputPath" || key == "outputUri")
            return addRef(node, value, sub, key == "outputPath" ? K::OutputPath : K::OutputUri, m_outputs,
                          "output", out);
        if (key == "executorInput") {
            out.push_back(CommandArg::ref(K::ExecutorInput, {}));
            return std::nullopt;
        }
        if (key == "concat") {
            if (!isSequence(value))
                return m_ctx.error(value.IsDefined() ? value : node, sub, "'concat' expects a list");
            CommandArg concat;
            concat.kind = K::Concat;
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (auto e =
                        parseItem(value[i], sub + "[" + std::to_string(i) + "]", concat.items, depth + 1))
                    return e;
            }
            out.push_back(std::move(concat));
            return std::nullopt;
        }
        if (key == "if")
            return parseIf(node, value, sub, out, depth);
        if (key == "ifPresent")
            return parseIfPresent(node, value, sub, out, depth);
        if (key == "isPresent")
            return m_ctx.error(node, sub, "'isPresent' is only valid as the 'cond' of an 'if'");
        return m_ctx.error(
            node, sub,
            "unknown placeholder '" + key +
                "' (expected inputValue, inputPath, inputUri, outputPath, outputUri, concat, if, "
                "executorInput)");
    }

    std::optional<Error> addRef(const YAML::Node &node, const YAML::Node &value, const std::string &field,
                                CommandArg::Kind kind, const std::vector<PortDeclaration> &ports,
                                std::string_view what, std::vector<CommandArg> &out)
    {
        auto name = resolvePort(node, value, field, ports, what);
        if (!name)
            return name.error();
        m_uses.push_back({kind, name.value(), m_ctx.location(node, field)});
        out.push_back(CommandArg::ref(kind, std::move(name).value()));
        return std::nullopt;
    }

    // v1 names ("Repo URI") become KFP 2's sanitized names ("repo_uri"); a
    // reference may use either spelling, as the SDK sanitizes both sides.
    Result<std::string> resolvePort(const YAML::Node &node, const YAML::Node &value, const std::string &field,
                                    const std::vector<PortDeclaration> &ports, std::string_view what)
    {
        if (!isScalar(value))
            return m_ctx.error(value.IsDefined() ? value : node, field,
                               "expected the name of an " + std::string(what));
        const std::string wanted = v1::sanitizeInputName(value.Scalar());
        for (const auto &p : ports) {
            if (p.spec.name == wanted)
                return p.spec.name;
        }
        return m_ctx.error(value, field,
                           "refers to undeclared " + std::string(what) + " '" + value.Scalar() + "'");
    }

    std::optional<Error> parseBranch(const YAML::Node &node, const std::string &field,
                                     std::vector<CommandArg> &out, int depth)
    {
        if (!isSet(node))
            return std::nullopt;
        if (isSequence(node)) {
            for (std::size_t i = 0; i < node.size(); ++i) {
                if (auto e = parseItem(node[i], field + "[" + std::to_string(i) + "]", out, depth + 1))
                    return e;
            }
            return std::nullopt;
        }
        return parseItem(node, field, out, depth + 1);
    }

    std::optional<Error> parseIf(const YAML::Node &node, const YAML::Node &value, const std::string &field,
                                 std::vector<CommandArg> &out, int depth)
    {
        if (!isMap(value))
            return m_ctx.error(value.IsDefined() ? value : node, field,
                               "'if' expects a map with cond, then, else");
        for (auto it = value.begin(); it != value.end(); ++it) {
            const std::string k = isScalar(it->first) ? it->first.Scalar() : std::string();
            if (k != "cond" && k != "then" && k != "else")
                return m_ctx.error(it->first, field,
                                   "unknown key '" + k + "' in 'if' (expected cond, then, else)");
        }
        const YAML::Node cond = value["cond"];
        const YAML::Node then = value["then"];
        const YAML::Node otherwise = value["else"];
        if (!cond.IsDefined())
            return m_ctx.error(value, field + ".cond", "'if' needs a 'cond'");
        if (!then.IsDefined())
            return m_ctx.error(value, field + ".then", "'if' needs a 'then'");

        if (isScalar(cond)) {
            // A constant condition is decided now, exactly as the v1 SDK does.
            const auto truth = v1::strToBool(cond.Scalar());
            if (!truth)
                return m_ctx.error(cond, field + ".cond", "'" + cond.Scalar() + "' is not a boolean");
            return *truth ? parseBranch(then, field + ".then", out, depth)
                          : parseBranch(otherwise, field + ".else", out, depth);
        }
        const YAML::Node isPresent = isMap(cond) && cond.size() == 1 ? cond["isPresent"] : YAML::Node();
        if (!isPresent.IsDefined()) {
            const std::string what = isMap(cond) && cond.size() == 1 && isScalar(cond.begin()->first)
                                         ? "'" + cond.begin()->first.Scalar() + "'"
                                         : std::string("this form");
            return m_ctx.error(cond, field + ".cond",
                               "unsupported 'if' condition " + what +
                                   ": KFP v2 can only test {isPresent: input} or a constant");
        }
        auto name = resolvePort(cond, isPresent, field + ".cond.isPresent", m_inputs, "input");
        if (!name)
            return name.error();
        CommandArg a;
        a.kind = CommandArg::Kind::IfPresent;
        a.name = std::move(name).value();
        if (auto e = parseBranch(then, field + ".then", a.thenArgs, depth))
            return e;
        if (auto e = parseBranch(otherwise, field + ".else", a.elseArgs, depth))
            return e;
        out.push_back(std::move(a));
        return std::nullopt;
    }

    // The older spelling {ifPresent: {inputName, then, else}}.
    std::optional<Error> parseIfPresent(const YAML::Node &node, const YAML::Node &value,
                                        const std::string &field, std::vector<CommandArg> &out, int depth)
    {
        if (!isMap(value))
            return m_ctx.error(value.IsDefined() ? value : node, field, "'ifPresent' expects a map");
        auto name = resolvePort(value, value["inputName"], field + ".inputName", m_inputs, "input");
        if (!name)
            return name.error();
        CommandArg a;
        a.kind = CommandArg::Kind::IfPresent;
        a.name = std::move(name).value();
        if (auto e = parseBranch(value["then"], field + ".then", a.thenArgs, depth))
            return e;
        if (auto e = parseBranch(value["else"], field + ".else", a.elseArgs, depth))
            return e;
        out.push_back(std::move(a));
        return std::nullopt;
    }

    const Ctx &m_ctx;
    const std::vector<PortDeclaration> &m_inputs;
    const std::vector<PortDeclaration> &m_outputs;
    std::vector<RefUse> m_uses;
};

// ------------------------------------------------------------ interface

std::optional<Error> parsePorts(const Ctx &ctx, const YAML::Node &root, const char *key, bool isInput,
                                std::vector<PortDeclaration> &out)
{
    const YAML::Node list = root[key];
    if (!isSet(list))
        return std::nullopt;
    if (!isSequence(list))
        return ctx.error(list, key, std::string("'") + key + "' must be a list of {name, type, ...} entries");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node item = list[i];
        const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
        if (!isMap(item))
            return ctx.error(item, field, std::string("each entry of '") + key + "' must be a map");
        PortDeclaration port;
        // reset() rebinds; operator= on a yaml-cpp node writes through to what it refers to.
        port.node.reset(item);
        port.field = field;
        const YAML::Node name = item["name"];
        if (!name.IsDefined())
            return ctx.error(item, field + ".name", "missing 'name'");
        if (!isScalar(name) || name.Scalar().empty())
            return ctx.error(name, field + ".name", "'name' must be a non-empty string");
        port.spec.name = v1::sanitizeInputName(name.Scalar());
        if (port.spec.name.empty())
            return ctx.error(name, field + ".name", "name '" + name.Scalar() + "' has no letters or digits");
        if (!seen.insert(port.spec.name).second) {
            return ctx.error(name, field + ".name",
                             "duplicate " + std::string(isInput ? "input" : "output") + " '" + name.Scalar() +
                                 "'");
        }
        auto type = v1::parseType(ctx, item["type"], field + ".type");
        if (!type)
            return type.error();
        port.type = std::move(type).value();
        if (auto e =
                v1::optionalString(ctx, item["description"], field + ".description", port.spec.description))
            return e;
        if (isInput) {
            // As in KFP: an input with a default (even `default:` with no value) is optional.
            if (const YAML::Node def = item["default"]; def.IsDefined()) {
                port.defaultNode.reset(def);
                port.spec.optional = true;
            }
            const YAML::Node optional = item["optional"];
            if (isSet(optional)) {
                const auto b = isScalar(optional) ? v1::yamlBool(optional.Scalar()) : std::nullopt;
                if (!b)
                    return ctx.error(optional, field + ".optional", "'optional' must be true or false");
                port.spec.optional = port.spec.optional || *b;
            }
        }
        out.push_back(std::move(port));
    }
    return std::nullopt;
}

std::map<std::string, Usage> usageByPort(const std::vector<RefUse> &uses, bool inputs)
{
    using K = CommandArg::Kind;
    std::map<std::string, Usage> out;
    for (const RefUse &u : uses) {
        const bool isInputRef = u.kind == K::InputValue || u.kind == K::InputPath || u.kind == K::InputUri;
        if (isInputRef != inputs)
            continue;
        if (u.kind == K::InputValue)
            out[u.port].byValue = true;
        else if (u.kind == K::InputPath || u.kind == K::InputUri || u.kind == K::OutputUri)
            out[u.port].byFile = true;
    }
    return out;
}

std::optional<Error> checkUses(const std::vector<RefUse> &uses, const std::vector<PortDeclaration> &inputs)
{
    for (const RefUse &u : uses) {
        if (u.kind != CommandArg::Kind::InputValue)
            continue;
        for (const auto &p : inputs) {
            if (p.spec.name != u.port || !p.spec.type.isArtifact())
                continue;
            Error e;
            e.where = u.where;
            // Artifact by its type, or because inputPath/inputUri also read it.
            e.message = "inputValue of artifact input '" + u.port + "' (" + p.spec.type.displayName() +
                        "): KFP v2 cannot pass an artifact by value; read it with inputPath or inputUri";
            return e;
        }
    }
    return std::nullopt;
}

// KFP 1.8 left out the argument of an optional input that has no default
// and no value (an empty string inside a concat); PipelineSpec and Argo
// need that said: each such reference becomes {if: {cond: {isPresent: x},
// then: [ref]}}, unless an isPresent test of that input already holds it.
void guardOptionalRefs(std::vector<CommandArg> &args, const std::set<std::string> &mayBeMissing,
                       const std::set<std::string> &tested)
{
    using K = CommandArg::Kind;
    for (CommandArg &a : args) {
        if (a.kind == K::Concat) {
            guardOptionalRefs(a.items, mayBeMissing, tested);
        } else if (a.kind == K::IfPresent) {
            std::set<std::string> inThen = tested;
            inThen.insert(a.name);
            guardOptionalRefs(a.thenArgs, mayBeMissing, inThen);
            guardOptionalRefs(a.elseArgs, mayBeMissing, tested);
        } else if ((a.kind == K::InputValue || a.kind == K::InputPath || a.kind == K::InputUri) &&
                   mayBeMissing.count(a.name) && !tested.count(a.name)) {
            CommandArg guard;
            guard.kind = K::IfPresent;
            guard.name = a.name;
            guard.thenArgs.push_back(std::move(a));
            a = std::move(guard);
        }
    }
}

// Single quotes for sh: 'it'\''s'.
std::string shellQuoted(const std::string &text)
{
    std::string out = "'";
    for (char ch : text)
        out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

// implementation.container.fileOutputs {output name: path}: the deprecated v1
// form of outputs that the program writes at a fixed path in its container
// (KFP 1.8 collected them from there). Each becomes an ordinary output: the
// command runs under `sh`, which, once the program succeeded, copies each
// fixed path to the path the backend gives the output ({outputPath}), so
// every target and the local engine see the output where they expect it.
std::optional<Error> applyFileOutputs(const Ctx &ctx, const YAML::Node &node, const std::string &field,
                                      const std::vector<RefUse> &uses,
                                      const std::vector<PortDeclaration> &outputs, Component &c)
{
    if (!isSet(node))
        return std::nullopt;
    if (!isMap(node))
        return ctx.error(node, field, "'fileOutputs' must be a map of output name -> path in the container");
    std::vector<std::pair<std::string, std::string>> files; // output, fixed path
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string raw = isScalar(it->first) ? it->first.Scalar() : std::string();
        const std::string entry = field + "." + raw;
        const std::string name = v1::sanitizeInputName(raw);
        const auto declared = std::find_if(outputs.begin(), outputs.end(),
                                           [&](const PortDeclaration &p) { return p.spec.name == name; });
        if (raw.empty() || declared == outputs.end())
            return ctx.error(it->first, entry, "fileOutputs names undeclared output '" + raw + "'");
        if (!isScalar(it->second) || it->second.Scalar().empty())
            return ctx.error(it->second, entry, "the path of a file output must be a non-empty string");
        for (const RefUse &u : uses) {
            if (u.port == name &&
                (u.kind == CommandArg::Kind::OutputPath || u.kind == CommandArg::Kind::OutputUri))
                return ctx.error(it->first, entry,
                                 "output '" + raw + "' is both a file output and a placeholder at " +
                                     u.where.toString() + "; KFP 1.8 refused such conflicting paths too");
        }
        files.emplace_back(name, it->second.Scalar());
    }
    if (c.container.command.empty())
        return ctx.error(node, field,
                         "fileOutputs needs a 'command': the files are copied once the command ends, and "
                         "the image's own entrypoint is unknown here");
    std::string script;
    for (std::size_t i = 0; i < files.size(); ++i)
        script += "o" + std::to_string(i) + "=\"$" + std::to_string(i + 1) + "\"\n";
    script += "shift " + std::to_string(files.size()) + "\n\"$@\" || exit $?\n";
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string var = "\"$o" + std::to_string(i) + "\"";
        const std::string from = shellQuoted(files[i].second);
        script += "mkdir -p \"$(dirname " + var + ")\" && cp -R " + from + " " + var + " || { echo " +
                  shellQuoted("fileOutputs: cannot copy " + files[i].second + " to output '" +
                              files[i].first + "'") +
                  " >&2; exit 1; }\n";
    }
    std::vector<CommandArg> command = {CommandArg::literal("sh"), CommandArg::literal("-c"),
                                       CommandArg::literal(script),
                                       CommandArg::literal("pipewright-fileoutputs")};
    for (const auto &[name, path] : files)
        command.push_back(CommandArg::ref(CommandArg::Kind::OutputPath, name));
    for (CommandArg &a : c.container.command)
        command.push_back(std::move(a));
    c.container.command = std::move(command);
    return std::nullopt;
}

std::optional<Error> parseContainer(const Ctx &ctx, const YAML::Node &node, Component &c,
                                    std::vector<PortDeclaration> &inputs,
                                    std::vector<PortDeclaration> &outputs)
{
    const std::string field = "implementation.container";
    if (!isMap(node))
        return ctx.error(node, field, "'container' must be a map");
    const YAML::Node image = node["image"];
    if (!image.IsDefined())
        return ctx.error(node, field + ".image", "missing 'image'");
    if (!isScalar(image))
        return ctx.error(image, field + ".image", "'image' must be a string");
    // An empty image (filled in by a build step before use) is taken as KFP 1.8 took it; validate warns.
    c.container.image = image.Scalar();

    ArgParser args(ctx, inputs, outputs);
    if (auto e = args.parseList(node["command"], field + ".command", c.container.command))
        return e;
    if (auto e = args.parseList(node["args"], field + ".args", c.container.args))
        return e;

    const YAML::Node env = node["env"];
    if (isSet(env)) {
        if (!isMap(env))
            return ctx.error(env, field + ".env", "'env' must be a map of NAME: value");
        for (auto it = env.begin(); it != env.end(); ++it) {
            const std::string name = isScalar(it->first) ? it->first.Scalar() : std::string();
            if (name.empty())
                return ctx.error(it->first, field + ".env", "environment variable names must be strings");
            if (!isScalar(it->second))
                return ctx.error(it->second, field + ".env." + name,
                                 "environment values must be plain strings");
            c.container.env.push_back({name, it->second.Scalar()});
        }
    }

    if (auto e = applyFileOutputs(ctx, node["fileOutputs"], field + ".fileOutputs", args.uses(), outputs, c))
        return e;
    if (auto e = v1::resolveTypes(ctx, inputs, usageByPort(args.uses(), true), true))
        return e;
    if (auto e = v1::resolveTypes(ctx, outputs, usageByPort(args.uses(), false), false))
        return e;
    if (auto e = checkUses(args.uses(), inputs))
        return e;
    std::set<std::string> mayBeMissing;
    for (const PortDeclaration &p : inputs) {
        if (p.spec.optional && !p.spec.defaultValue && !isSet(p.defaultNode) &&
            !(p.spec.type.isParameter() && p.spec.type.parameter == ParameterType::TaskFinalStatus))
            mayBeMissing.insert(p.spec.name);
    }
    guardOptionalRefs(c.container.command, mayBeMissing, {});
    guardOptionalRefs(c.container.args, mayBeMissing, {});
    return std::nullopt;
}

std::optional<Error> parseMetadata(const Ctx &ctx, const YAML::Node &root, Component &c)
{
    const YAML::Node md = root["metadata"];
    if (!isSet(md))
        return std::nullopt;
    if (!isMap(md))
        return ctx.error(md, "metadata", "'metadata' must be a map");
    for (const char *key : {"annotations", "labels"}) {
        const YAML::Node m = md[key];
        if (!isSet(m))
            continue;
        const std::string field = std::string("metadata.") + key;
        if (!isMap(m))
            return ctx.error(m, field, "'" + field + "' must be a map of strings");
        auto &target = std::string_view(key) == "labels" ? c.labels : c.annotations;
        for (auto it = m.begin(); it != m.end(); ++it) {
            if (!isScalar(it->first) || !(isScalar(it->second) || it->second.IsNull()))
                return ctx.error(it->first, field, "'" + field + "' values must be strings");
            target[it->first.Scalar()] = it->second.IsNull() ? std::string() : it->second.Scalar();
        }
    }
    return std::nullopt;
}

} // namespace

namespace componentv1 {

Result<Component> parseComponentNode(const Ctx &ctx, const YAML::Node &root)
{
    if (!isMap(root))
        return ctx.error(root, "", "a component must be a YAML map");
    Component c;
    if (auto e = optionalString(ctx, root["name"], "name", c.name))
        return *e;
    if (auto e = optionalString(ctx, root["description"], "description", c.description))
        return *e;
    if (auto e = parseMetadata(ctx, root, c))
        return *e;

    std::vector<PortDeclaration> inputs;
    std::vector<PortDeclaration> outputs;
    if (auto e = parsePorts(ctx, root, "inputs", true, inputs))
        return *e;
    if (auto e = parsePorts(ctx, root, "outputs", false, outputs))
        return *e;

    const YAML::Node impl = root["implementation"];
    if (!impl.IsDefined())
        return ctx.error(root, "implementation", "missing 'implementation' (container or graph)");
    if (!isMap(impl))
        return ctx.error(impl, "implementation",
                         "'implementation' must be a map with 'container' or 'graph'");
    const YAML::Node container = impl["container"];
    const YAML::Node graph = impl["graph"];
    if (container.IsDefined() == graph.IsDefined())
        return ctx.error(impl, "implementation",
                         "'implementation' needs exactly one of 'container' or 'graph'");

    if (container.IsDefined()) {
        c.kind = Component::Kind::Container;
        if (auto e = parseContainer(ctx, container, c, inputs, outputs))
            return *e;
        for (auto &p : inputs)
            c.inputs.push_back(std::move(p.spec));
        for (auto &p : outputs)
            c.outputs.push_back(std::move(p.spec));
        return c;
    }

    c.kind = Component::Kind::Graph;
    if (auto e = parseGraph(ctx, graph, c, inputs, outputs))
        return *e;
    return c;
}

} // namespace componentv1

Result<Component> parseComponentV1(const YAML::Node &root, const std::string &fileName, Pipeline &registry)
{
    const Ctx ctx{fileName, &registry, 0};
    try {
        return v1::parseComponentNode(ctx, root);
    } catch (const YAML::Exception &e) {
        // Every access is type-checked first; this is the net under that.
        return ctx.error(YAML::Node(), "", std::string("malformed component: ") + e.what());
    }
}

Result<Component> parseComponentV1(const YAML::Node &root, const std::string &fileName)
{
    Pipeline registry;
    return parseComponentV1(root, fileName, registry);
}

Result<Component> parseComponentV1(std::string_view text, const std::string &fileName)
{
    auto root = v1::loadYaml(text, fileName);
    if (!root)
        return root.error();
    return parseComponentV1(root.value(), fileName);
}

Result<Component> loadComponentFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        Error e;
        e.message = "cannot read component file";
        e.where.file = path;
        return e;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();

    auto root = v1::loadYaml(text, path);
    if (!root)
        return root.error();
    Pipeline registry;
    return parseComponentFileV1(root.value(), path, registry);
}

Result<Component> parseComponentFileV1(const YAML::Node &doc, const std::string &path, Pipeline &registry)
{
    const Ctx ctx{path, nullptr, 0};
    if (!doc.IsDefined() || doc.IsNull())
        return Error{"empty file: not a KFP component", Location{path, 1, 1, {}, {}}};
    if (!isMap(doc))
        return ctx.error(doc, "", "not a KFP component: the file is not a YAML map");
    if (doc["deploymentSpec"].IsDefined() && doc["root"].IsDefined())
        return ctx.error(doc, "", "KFP v2 component files: use loadPipelineFile");
    if (!doc["implementation"].IsDefined() && !doc["inputs"].IsDefined() && !doc["outputs"].IsDefined())
        return ctx.error(doc, "", "not a KFP component: no 'implementation', 'inputs' or 'outputs'");
    return parseComponentV1(doc, path, registry);
}

} // namespace pw
