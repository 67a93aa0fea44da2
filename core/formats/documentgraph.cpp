// SPDX-License-Identifier: Apache-2.0
// Tasks, their execution settings, groups and graph outputs in the document.
#include "formats/documentio.h"

#include "util/yamljson.h"
#include "validate/rules.h"

namespace pw::docio {

namespace {

std::string indexed(const std::string &field, std::size_t i)
{
    return field + "[" + std::to_string(i) + "]";
}

const char *groupKindName(Group::Kind k)
{
    switch (k) {
    case Group::Kind::Condition:
        return "condition";
    case Group::Kind::Branches:
        return "branches";
    case Group::Kind::Loop:
        return "loop";
    case Group::Kind::ExitHandler:
        return "exitHandler";
    }
    return "condition";
}

// Durations read best in the largest unit that is exact: 1800 -> "30m".
std::string formatDuration(std::int64_t seconds)
{
    if (seconds % 3600 == 0)
        return std::to_string(seconds / 3600) + "h";
    if (seconds % 60 == 0)
        return std::to_string(seconds / 60) + "m";
    return std::to_string(seconds) + "s";
}

std::int64_t readTimeout(Reader &reader, const MapView &task)
{
    const YAML::Node node = task.value("timeout");
    if (!node.IsDefined() || node.IsNull())
        return 0;
    const nlohmann::json v = node.IsScalar() ? yamlToJson(node) : nlohmann::json();
    if (v.is_number_integer())
        return v.get<long long>(); // negative values are validation's to report
    if (v.is_string()) {
        if (const auto seconds = parseDurationSeconds(v.get<std::string>()))
            return *seconds;
    }
    reader.fail(node, task.sub("timeout"),
                "expected a duration such as 30m, 1h30m or 45s, or a number of seconds, for 'timeout'");
}

// ------------------------------------------------------------------ settings

Resources readResources(Reader &reader, const MapView &task, const std::string &sourceKey)
{
    Resources r;
    const MapView res(reader, task.value("resources"), task.sub("resources"));
    res.allowOnly({"cpu", "memory", "accelerator"});
    for (const char *part : {"cpu", "memory"}) {
        const MapView pair(reader, res.value(part), res.sub(part));
        pair.allowOnly({"request", "limit"});
        res.mark(part, sourceKey + "." + part);
        pair.mark("request", sourceKey + "." + part + ".request");
        pair.mark("limit", sourceKey + "." + part + ".limit");
        const bool cpu = std::string_view(part) == "cpu";
        (cpu ? r.cpuRequest : r.memoryRequest) = pair.string("request");
        (cpu ? r.cpuLimit : r.memoryLimit) = pair.string("limit");
    }
    const MapView acc(reader, res.value("accelerator"), res.sub("accelerator"));
    acc.allowOnly({"type", "count"});
    res.mark("accelerator", sourceKey + ".accelerator");
    r.acceleratorType = acc.string("type");
    r.acceleratorCount = acc.string("count");
    return r;
}

OJson writeResources(const Resources &r)
{
    OJson out = OJson::object();
    auto pair = [&](const char *name, const std::string &request, const std::string &limit) {
        if (request.empty() && limit.empty())
            return;
        OJson p = OJson::object();
        if (!request.empty())
            p["request"] = request;
        if (!limit.empty())
            p["limit"] = limit;
        out[name] = std::move(p);
    };
    pair("cpu", r.cpuRequest, r.cpuLimit);
    pair("memory", r.memoryRequest, r.memoryLimit);
    if (!r.acceleratorType.empty() || !r.acceleratorCount.empty()) {
        OJson a = OJson::object();
        if (!r.acceleratorType.empty())
            a["type"] = r.acceleratorType;
        if (!r.acceleratorCount.empty())
            a["count"] = r.acceleratorCount;
        out["accelerator"] = std::move(a);
    }
    return out;
}

std::vector<ObjectRef> readObjectRefs(Reader &reader, const MapView &task, const char *key,
                                      ObjectRef::Source source)
{
    std::vector<ObjectRef> refs;
    const std::string field = task.sub(key);
    const auto items = readSequence(reader, task.value(key), field);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const MapView item(reader, items[i], indexed(field, i));
        item.allowOnly({"name", "keyToEnv", "mountPath", "optional", "nameIsLiteral"});
        ObjectRef ref;
        ref.source = source;
        ref.name = readBinding(reader, item.value("name"), item.sub("name"));
        for (auto &[k, env] :
             readOrderedPairs(reader, item.value("keyToEnv"), item.sub("keyToEnv"), "key", "env"))
            ref.keyToEnv.push_back(KeyToEnv{k, env});
        ref.mountPath = item.string("mountPath");
        if (item.has("optional"))
            ref.optional = item.boolean("optional", false);
        ref.nameIsLiteral = item.boolean("nameIsLiteral", false);
        refs.push_back(std::move(ref));
    }
    return refs;
}

OJson writeObjectRefs(const std::vector<ObjectRef> &refs)
{
    OJson out = OJson::array();
    for (const ObjectRef &ref : refs) {
        OJson item = OJson::object();
        item["name"] = writeBinding(ref.name);
        if (!ref.keyToEnv.empty()) {
            std::vector<std::pair<std::string, std::string>> pairs;
            for (const KeyToEnv &k : ref.keyToEnv)
                pairs.emplace_back(k.key, k.envVar);
            item["keyToEnv"] = writeOrderedPairs(pairs, "key", "env");
        }
        if (!ref.mountPath.empty())
            item["mountPath"] = ref.mountPath;
        if (ref.optional)
            item["optional"] = *ref.optional;
        if (ref.nameIsLiteral)
            item["nameIsLiteral"] = true;
        out.push_back(std::move(item));
    }
    return out;
}

std::vector<Binding> readBindingList(Reader &reader, const MapView &task, const char *key)
{
    std::vector<Binding> out;
    const std::string field = task.sub(key);
    const auto items = readSequence(reader, task.value(key), field);
    for (std::size_t i = 0; i < items.size(); ++i)
        out.push_back(readBinding(reader, items[i], indexed(field, i)));
    return out;
}

OJson writeBindingList(const std::vector<Binding> &bindings)
{
    OJson out = OJson::array();
    for (const Binding &b : bindings)
        out.push_back(writeBinding(b));
    return out;
}

void readSettings(Reader &reader, const MapView &task, const std::string &sourceKey, ExecutionSettings &s)
{
    s.resources = readResources(reader, task, sourceKey + ".resources");
    s.nodePool = task.string("nodePool");
    s.nodeSelector = task.stringMap("nodeSelector");
    if (task.has("nodeSelectorFrom"))
        s.nodeSelectorJson =
            readBinding(reader, task.value("nodeSelectorFrom"), task.sub("nodeSelectorFrom"));
    s.tolerations = readTolerations(reader, task.value("tolerations"), task.sub("tolerations"));
    s.tolerationJson = readBindingList(reader, task, "tolerationsFrom");
    s.nodeAffinityJson = readBindingList(reader, task, "nodeAffinityFrom");
    for (auto &[name, value] : readOrderedPairs(reader, task.value("env"), task.sub("env"), "name", "value"))
        s.env.push_back(EnvVar{name, value});
    for (auto &[name, path] :
         readOrderedPairs(reader, task.value("fieldEnv"), task.sub("fieldEnv"), "name", "fieldPath"))
        s.fieldPathEnv.push_back(FieldPathEnv{name, path});
    s.secrets = readObjectRefs(reader, task, "secrets", ObjectRef::Source::Secret);
    s.configMaps = readObjectRefs(reader, task, "configMaps", ObjectRef::Source::ConfigMap);
    s.imagePullSecrets = readBindingList(reader, task, "imagePullSecrets");

    const std::string volumesField = task.sub("volumes");
    const auto volumes = readSequence(reader, task.value("volumes"), volumesField);
    for (std::size_t i = 0; i < volumes.size(); ++i) {
        const MapView item(reader, volumes[i], indexed(volumesField, i));
        item.allowOnly({"pvc", "mountPath"});
        s.volumes.push_back(
            PvcMount{readBinding(reader, item.value("pvc"), item.sub("pvc")), item.string("mountPath")});
    }
    s.podLabels = task.stringMap("podLabels");
    s.podAnnotations = task.stringMap("podAnnotations");

    const MapView retry(reader, task.value("retry"), task.sub("retry"));
    retry.allowOnly({"max", "backoff", "factor", "maxBackoff"});
    s.retry.maxRetries = int(retry.integer("max", 0));
    s.retry.backoffDuration = retry.string("backoff");
    s.retry.backoffFactor = retry.number("factor");
    s.retry.backoffMaxDuration = retry.string("maxBackoff");

    s.caching = task.boolean("caching", true);
    s.timeoutSeconds = readTimeout(reader, task);
}

void writeSettings(const ExecutionSettings &s, OJson &out)
{
    if (OJson r = writeResources(s.resources); !r.empty())
        out["resources"] = std::move(r);
    if (!s.nodePool.empty())
        out["nodePool"] = s.nodePool;
    if (!s.nodeSelector.empty())
        out["nodeSelector"] = s.nodeSelector;
    if (s.nodeSelectorJson)
        out["nodeSelectorFrom"] = writeBinding(*s.nodeSelectorJson);
    if (!s.tolerations.empty())
        out["tolerations"] = writeTolerations(s.tolerations);
    if (!s.tolerationJson.empty())
        out["tolerationsFrom"] = writeBindingList(s.tolerationJson);
    if (!s.nodeAffinityJson.empty())
        out["nodeAffinityFrom"] = writeBindingList(s.nodeAffinityJson);
    if (!s.env.empty()) {
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const EnvVar &e : s.env)
            pairs.emplace_back(e.name, e.value);
        out["env"] = writeOrderedPairs(pairs, "name", "value");
    }
    if (!s.fieldPathEnv.empty()) {
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const FieldPathEnv &e : s.fieldPathEnv)
            pairs.emplace_back(e.name, e.fieldPath);
        out["fieldEnv"] = writeOrderedPairs(pairs, "name", "fieldPath");
    }
    if (!s.secrets.empty())
        out["secrets"] = writeObjectRefs(s.secrets);
    if (!s.configMaps.empty())
        out["configMaps"] = writeObjectRefs(s.configMaps);
    if (!s.imagePullSecrets.empty())
        out["imagePullSecrets"] = writeBindingList(s.imagePullSecrets);
    if (!s.volumes.empty()) {
        OJson list = OJson::array();
        for (const PvcMount &m : s.volumes) {
            OJson item = OJson::object();
            item["pvc"] = writeBinding(m.claimName);
            item["mountPath"] = m.mountPath;
            list.push_back(std::move(item));
        }
        out["volumes"] = std::move(list);
    }
    if (!s.podLabels.empty())
        out["podLabels"] = s.podLabels;
    if (!s.podAnnotations.empty())
        out["podAnnotations"] = s.podAnnotations;
    if (s.retry != RetryPolicy{}) {
        OJson r = OJson::object();
        if (s.retry.maxRetries != 0)
            r["max"] = s.retry.maxRetries;
        if (!s.retry.backoffDuration.empty())
            r["backoff"] = s.retry.backoffDuration;
        if (s.retry.backoffFactor)
            r["factor"] = *s.retry.backoffFactor;
        if (!s.retry.backoffMaxDuration.empty())
            r["maxBackoff"] = s.retry.backoffMaxDuration;
        out["retry"] = std::move(r);
    }
    if (!s.caching)
        out["caching"] = false;
    if (s.timeoutSeconds > 0)
        out["timeout"] = formatDuration(s.timeoutSeconds);
    else if (s.timeoutSeconds < 0)
        out["timeout"] = s.timeoutSeconds; // kept as written so validation can point at it
}

// ------------------------------------------------------------------ tasks

Task readTask(Reader &reader, const MapView::Entry &entry, const std::string &field,
              const std::string &sourceKey)
{
    const MapView map(reader, entry.value, field);
    map.allowOnly({"component",
                   "displayName",
                   "group",
                   "arguments",
                   "after",
                   "runAfterFailure",
                   "resources",
                   "nodePool",
                   "nodeSelector",
                   "nodeSelectorFrom",
                   "tolerations",
                   "tolerationsFrom",
                   "nodeAffinityFrom",
                   "env",
                   "fieldEnv",
                   "secrets",
                   "configMaps",
                   "imagePullSecrets",
                   "volumes",
                   "podLabels",
                   "podAnnotations",
                   "retry",
                   "caching",
                   "timeout"});
    for (const auto &e : map.entries())
        reader.mark(sourceKey + "." + e.key, e.keyNode);

    Task task;
    task.id = entry.key;
    if (!map.has("component") || map.string("component").empty())
        reader.fail(map.has("component") ? map.value("component") : entry.keyNode, map.sub("component"),
                    "task '" + task.id + "' needs 'component', the id of an entry under components");
    task.component = map.string("component");
    task.displayName = map.string("displayName");
    task.group = map.string("group");
    const MapView args(reader, map.value("arguments"), map.sub("arguments"));
    for (const auto &a : args.entries()) {
        reader.mark(sourceKey + ".arguments." + a.key, a.keyNode);
        task.arguments[a.key] = readBinding(reader, a.value, args.sub(a.key));
    }
    task.after = map.stringList("after");
    task.runAfterFailure = map.boolean("runAfterFailure", false);
    readSettings(reader, map, sourceKey, task.settings);
    return task;
}

OJson writeTask(const Task &task)
{
    OJson out = OJson::object();
    out["component"] = task.component;
    if (!task.displayName.empty())
        out["displayName"] = task.displayName;
    if (!task.group.empty())
        out["group"] = task.group;
    if (!task.arguments.empty()) {
        OJson args = OJson::object();
        for (const auto &[name, binding] : task.arguments)
            args[name] = writeBinding(binding);
        out["arguments"] = std::move(args);
    }
    if (!task.after.empty())
        out["after"] = task.after;
    if (task.runAfterFailure)
        out["runAfterFailure"] = true;
    writeSettings(task.settings, out);
    return out;
}

// ------------------------------------------------------------------ groups

Group readGroup(Reader &reader, const MapView::Entry &entry, const std::string &field,
                const std::string &sourceKey)
{
    const MapView map(reader, entry.value, field);
    map.allowOnly({"kind", "displayName", "parent", "order", "condition", "loop", "exitTask"});
    for (const auto &e : map.entries())
        reader.mark(sourceKey + "." + e.key, e.keyNode);

    Group g;
    g.id = entry.key;
    const std::string kind = map.string("kind");
    if (kind == "condition")
        g.kind = Group::Kind::Condition;
    else if (kind == "branches")
        g.kind = Group::Kind::Branches;
    else if (kind == "loop")
        g.kind = Group::Kind::Loop;
    else if (kind == "exitHandler")
        g.kind = Group::Kind::ExitHandler;
    else
        reader.fail(map.has("kind") ? map.value("kind") : entry.keyNode, map.sub("kind"),
                    (kind.empty() ? std::string("group '" + g.id + "' needs 'kind'")
                                  : "unknown group kind '" + kind + "'") +
                        " (condition, branches, loop or exitHandler)");
    g.displayName = map.string("displayName");
    g.parent = map.string("parent");
    g.order = int(map.integer("order", 0));
    if (map.has("condition")) {
        const MapView c(reader, map.value("condition"), map.sub("condition"));
        c.allowOnly({"lhs", "op", "rhs"});
        Condition condition;
        condition.lhs = readBinding(reader, c.value("lhs"), c.sub("lhs"));
        condition.op = c.string("op", "==");
        condition.rhs = readBinding(reader, c.value("rhs"), c.sub("rhs"));
        g.condition = std::move(condition);
    }
    const MapView loop(reader, map.value("loop"), map.sub("loop"));
    loop.allowOnly({"items", "parallelism", "itemName", "itemType"});
    g.loop.items = readBinding(reader, loop.value("items"), loop.sub("items"));
    g.loop.parallelism = int(loop.integer("parallelism", 0));
    g.loop.itemName = loop.string("itemName");
    if (const std::string itemType = loop.string("itemType"); !itemType.empty()) {
        g.loop.itemType = parameterTypeFromName(itemType);
        if (!g.loop.itemType)
            reader.fail(loop.value("itemType"), loop.sub("itemType"),
                        "unknown item type '" + itemType +
                            "' (String, Integer, Float, Boolean, List or Dict)");
    }
    g.exitTask = map.string("exitTask");
    return g;
}

OJson writeGroup(const Group &g)
{
    OJson out = OJson::object();
    out["kind"] = groupKindName(g.kind);
    if (!g.displayName.empty())
        out["displayName"] = g.displayName;
    if (!g.parent.empty())
        out["parent"] = g.parent;
    if (g.order != 0)
        out["order"] = g.order;
    if (g.condition) {
        OJson c = OJson::object();
        c["lhs"] = writeBinding(g.condition->lhs);
        c["op"] = g.condition->op;
        c["rhs"] = writeBinding(g.condition->rhs);
        out["condition"] = std::move(c);
    }
    if (g.loop != LoopSpec{}) {
        OJson l = OJson::object();
        if (g.loop.items.isSet())
            l["items"] = writeBinding(g.loop.items);
        if (g.loop.parallelism != 0)
            l["parallelism"] = g.loop.parallelism;
        if (!g.loop.itemName.empty())
            l["itemName"] = g.loop.itemName;
        if (g.loop.itemType)
            l["itemType"] = std::string(parameterTypeName(*g.loop.itemType));
        out["loop"] = std::move(l);
    }
    if (!g.exitTask.empty())
        out["exitTask"] = g.exitTask;
    return out;
}

} // namespace

std::vector<Toleration> readTolerations(Reader &reader, const YAML::Node &node, const std::string &field)
{
    std::vector<Toleration> out;
    const auto items = readSequence(reader, node, field);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const MapView item(reader, items[i], indexed(field, i));
        item.allowOnly({"key", "operator", "value", "effect", "tolerationSeconds"});
        Toleration t;
        t.key = item.string("key");
        t.op = item.string("operator");
        t.value = item.string("value");
        t.effect = item.string("effect");
        if (item.has("tolerationSeconds"))
            t.tolerationSeconds = item.integer("tolerationSeconds", 0);
        out.push_back(std::move(t));
    }
    return out;
}

OJson writeTolerations(const std::vector<Toleration> &tolerations)
{
    OJson out = OJson::array();
    for (const Toleration &t : tolerations) {
        OJson item = OJson::object();
        if (!t.key.empty())
            item["key"] = t.key;
        if (!t.op.empty())
            item["operator"] = t.op;
        if (!t.value.empty())
            item["value"] = t.value;
        if (!t.effect.empty())
            item["effect"] = t.effect;
        if (t.tolerationSeconds)
            item["tolerationSeconds"] = *t.tolerationSeconds;
        out.push_back(std::move(item));
    }
    return out;
}

void readGraphBody(Reader &reader, const MapView &holder, const std::string &prefix, Graph &graph)
{
    const MapView tasks(reader, holder.value("tasks"), holder.sub("tasks"));
    for (const auto &e : tasks.entries()) {
        const std::string key = prefix + "tasks." + e.key;
        reader.mark(key, e.keyNode);
        graph.tasks.push_back(readTask(reader, e, tasks.sub(e.key), key));
    }
    const MapView groups(reader, holder.value("groups"), holder.sub("groups"));
    for (const auto &e : groups.entries()) {
        const std::string key = prefix + "groups." + e.key;
        reader.mark(key, e.keyNode);
        graph.groups.push_back(readGroup(reader, e, groups.sub(e.key), key));
    }
    const MapView outputs(reader, holder.value("outputValues"), holder.sub("outputValues"));
    for (const auto &e : outputs.entries()) {
        reader.mark(prefix + "outputValues." + e.key, e.keyNode);
        graph.outputs[e.key] = readBinding(reader, e.value, outputs.sub(e.key));
    }
}

void writeGraphBody(const Graph &graph, OJson &out)
{
    if (!graph.tasks.empty()) {
        OJson tasks = OJson::object();
        std::unordered_set<std::string> ids;
        for (const Task &t : graph.tasks)
            appendMember(tasks, t.id, writeTask(t), &ids);
        out["tasks"] = std::move(tasks);
    }
    if (!graph.groups.empty()) {
        OJson groups = OJson::object();
        std::unordered_set<std::string> ids;
        for (const Group &g : graph.groups)
            appendMember(groups, g.id, writeGroup(g), &ids);
        out["groups"] = std::move(groups);
    }
    if (!graph.outputs.empty()) {
        OJson outputs = OJson::object();
        for (const auto &[name, binding] : graph.outputs)
            outputs[name] = writeBinding(binding);
        out["outputValues"] = std::move(outputs);
    }
}

} // namespace pw::docio
