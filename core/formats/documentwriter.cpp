// SPDX-License-Identifier: Apache-2.0
#include "formats/document.h"

#include "formats/documentio.h"
#include "util/yamljson.h"

#include <cmath>

namespace pw {

namespace {

using docio::OJson;

// Whole coordinates are written as integers: "[120, 40]" diffs better than
// "[120.0, 40.0]" and reads back as the same double.
OJson coordinate(double v)
{
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
        return static_cast<std::int64_t>(v);
    return v;
}

OJson writePoints(const std::map<std::string, Layout::Point> &points)
{
    OJson out = OJson::object();
    for (const auto &[id, p] : points)
        docio::appendMember(out, id, OJson::array({coordinate(p.x), coordinate(p.y)}));
    return out;
}

OJson writeNodePools(const std::vector<NodePool> &pools)
{
    OJson out = OJson::object();
    std::unordered_set<std::string> names;
    for (const NodePool &pool : pools) {
        OJson entry = OJson::object();
        if (!pool.nodeSelector.empty())
            entry["nodeSelector"] = pool.nodeSelector;
        if (!pool.tolerations.empty())
            entry["tolerations"] = docio::writeTolerations(pool.tolerations);
        docio::appendMember(out, pool.name, std::move(entry), &names);
    }
    return out;
}

void putString(OJson &out, const char *key, const std::string &value)
{
    if (!value.empty())
        out[key] = value;
}

} // namespace

std::string writeDocument(const Pipeline &p)
{
    OJson doc = OJson::object();
    doc["pipewright"] = kDocumentVersion;
    putString(doc, "name", p.name);
    putString(doc, "displayName", p.displayName);
    putString(doc, "description", p.description);
    putString(doc, "pipelineRoot", p.pipelineRoot);
    putString(doc, "serviceAccount", p.serviceAccount);
    if (!p.labels.empty())
        doc["labels"] = p.labels;
    if (!p.nodePools.empty())
        doc["nodePools"] = writeNodePools(p.nodePools);
    putString(doc, "defaultNodePool", p.defaultNodePool);
    if (!p.inputs.empty())
        doc["inputs"] = docio::writePorts(p.inputs);
    if (!p.outputs.empty())
        doc["outputs"] = docio::writePorts(p.outputs);
    if (!p.components.empty())
        doc["components"] = docio::writeComponents(p);
    docio::writeGraphBody(p.root, doc);
    if (!p.kfpKeptFields.empty()) {
        OJson kept = OJson::object();
        for (const auto &[pointer, value] : p.kfpKeptFields)
            kept[pointer] = OJson::parse(value.dump());
        doc["kfpKeptFields"] = std::move(kept);
    }
    if (!p.layout.tasks.empty() || !p.layout.groups.empty()) {
        OJson layout = OJson::object();
        if (!p.layout.tasks.empty())
            layout["tasks"] = writePoints(p.layout.tasks);
        if (!p.layout.groups.empty())
            layout["groups"] = writePoints(p.layout.groups);
        doc["layout"] = std::move(layout);
    }
    return jsonToYaml(doc);
}

} // namespace pw
