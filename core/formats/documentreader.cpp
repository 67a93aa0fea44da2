// SPDX-License-Identifier: Apache-2.0
#include "formats/document.h"

#include "formats/documentio.h"
#include "util/yamljson.h"

#include <QDir>
#include <QFileInfo>

#include <exception>

namespace pw {

namespace {

using docio::MapView;
using docio::Reader;

void readVersion(Reader &reader, const MapView &top)
{
    const MapView::Entry *version = top.find("pipewright");
    if (!version)
        reader.fail(top.node(), "pipewright",
                    "not a Pipewright document: it must start with 'pipewright: " +
                        std::to_string(kDocumentVersion) + "'");
    const nlohmann::json v = version->value.IsScalar() ? yamlToJson(version->value) : nlohmann::json();
    if (!v.is_number_integer())
        reader.fail(version->value, "pipewright",
                    "'pipewright' must be the format version, a whole number (" +
                        std::to_string(kDocumentVersion) + ")");
    if (v.get<long long>() != kDocumentVersion)
        reader.fail(version->value, "pipewright",
                    "unsupported version " + v.dump() + ": this Pipewright reads version " +
                        std::to_string(kDocumentVersion) + " documents; a newer Pipewright may read it");
}

std::vector<NodePool> readNodePools(Reader &reader, const MapView &top)
{
    std::vector<NodePool> pools;
    const MapView map(reader, top.value("nodePools"), "nodePools");
    for (const auto &e : map.entries()) {
        reader.mark("nodePools." + e.key, e.keyNode);
        const MapView pool(reader, e.value, map.sub(e.key));
        pool.allowOnly({"nodeSelector", "tolerations"});
        NodePool p;
        p.name = e.key;
        p.nodeSelector = pool.stringMap("nodeSelector");
        p.tolerations = docio::readTolerations(reader, pool.value("tolerations"), pool.sub("tolerations"));
        pools.push_back(std::move(p));
    }
    return pools;
}

std::map<std::string, Layout::Point> readPoints(Reader &reader, const YAML::Node &node,
                                                const std::string &field)
{
    std::map<std::string, Layout::Point> points;
    const MapView map(reader, node, field);
    for (const auto &e : map.entries()) {
        const std::string sub = map.sub(e.key);
        const auto xy = docio::readSequence(reader, e.value, sub);
        if (xy.size() != 2)
            reader.fail(e.value, sub, "a position is a list of two numbers, [x, y]");
        Layout::Point p;
        double *coords[2] = {&p.x, &p.y};
        for (int i = 0; i < 2; ++i) {
            const nlohmann::json v = xy[i].IsScalar() ? yamlToJson(xy[i]) : nlohmann::json();
            if (!v.is_number())
                reader.fail(xy[i], sub, "a position is a list of two numbers, [x, y]");
            *coords[i] = v.get<double>();
        }
        points[e.key] = p;
    }
    return points;
}

void readTopLevel(Reader &reader, const YAML::Node &root)
{
    // Aliases and depth were bounded when the YAML was parsed (util/yamljson.h, checkYamlTree).
    if (!root.IsMap())
        reader.fail(root, {},
                    "not a Pipewright document: expected a mapping that starts with 'pipewright: " +
                        std::to_string(kDocumentVersion) + "'");
    const MapView top(reader, root, {});
    // The version decides which keys exist, so it is checked first.
    readVersion(reader, top);
    // In the order the writer emits them.
    top.allowOnly({"pipewright", "name", "displayName", "description", "pipelineRoot", "serviceAccount",
                   "labels", "nodePools", "defaultNodePool", "inputs", "outputs", "components", "tasks",
                   "groups", "outputValues", "kfpKeptFields", "layout"});
    for (const auto &e : top.entries())
        reader.mark(e.key, e.keyNode);

    Pipeline &p = reader.pipeline();
    p.name = top.string("name");
    p.displayName = top.string("displayName");
    p.description = top.string("description");
    p.pipelineRoot = top.string("pipelineRoot");
    p.serviceAccount = top.string("serviceAccount");
    p.labels = top.stringMap("labels");
    p.nodePools = readNodePools(reader, top);
    p.defaultNodePool = top.string("defaultNodePool");
    p.inputs = docio::readPorts(reader, top.value("inputs"), "inputs", "inputs.");
    p.outputs = docio::readPorts(reader, top.value("outputs"), "outputs", "outputs.");
    docio::readComponents(reader, top.value("components"));
    docio::readGraphBody(reader, top, {}, p.root);

    const MapView kept(reader, top.value("kfpKeptFields"), "kfpKeptFields");
    for (const auto &e : kept.entries()) {
        if (!e.key.starts_with('/'))
            reader.fail(e.keyNode, kept.sub(e.key),
                        "a kept KFP field is named by a JSON pointer into the PipelineSpec ('/root/...')");
        p.kfpKeptFields[e.key] = yamlToJson(e.value);
    }

    const MapView layout(reader, top.value("layout"), "layout");
    layout.allowOnly({"tasks", "groups"});
    p.layout.tasks = readPoints(reader, layout.value("tasks"), "layout.tasks");
    p.layout.groups = readPoints(reader, layout.value("groups"), "layout.groups");
}

} // namespace

Result<Pipeline> readDocument(std::string_view text, const std::string &fileName)
{
    auto docs = parseYamlDocuments(text, fileName);
    if (!docs) {
        Error e = docs.error();
        e.message = "YAML syntax error: " + e.message;
        return e;
    }
    return readDocument(*docs, fileName);
}

Result<Pipeline> readDocument(const std::vector<YAML::Node> &parsed, const std::string &fileName)
{
    const std::vector<YAML::Node> *docs = &parsed;
    Location whole;
    whole.file = fileName;
    if (docs->empty() || (docs->size() == 1 && docs->front().IsNull()))
        return Error{"empty document: a Pipewright document starts with 'pipewright: " +
                         std::to_string(kDocumentVersion) + "'",
                     whole};
    if (docs->size() > 1) {
        Location second = whole;
        if (const YAML::Mark mark = (*docs)[1].Mark(); mark.line >= 0) {
            second.line = mark.line + 1;
            second.column = mark.column + 1;
        }
        return Error{"expected one YAML document, found " + std::to_string(docs->size()) +
                         "; a pipeline file holds exactly one",
                     second};
    }

    const QString dir =
        fileName.empty() ? QDir::currentPath() : QFileInfo(QString::fromStdString(fileName)).absolutePath();
    Pipeline pipeline;
    pipeline.fileName = fileName;
    Reader reader(fileName, dir.toStdString(), pipeline);
    try {
        readTopLevel(reader, docs->front());
    } catch (const docio::ReadFailure &failure) {
        return failure.error;
    } catch (const YAML::Exception &e) {
        // Every access is checked first; this is the net under that.
        Location where = whole;
        if (e.mark.line >= 0) {
            where.line = e.mark.line + 1;
            where.column = e.mark.column + 1;
        }
        return Error{"malformed document: " + e.msg, where};
    } catch (const std::exception &e) {
        return Error{std::string("malformed document: ") + e.what(), whole};
    }
    return pipeline;
}

Result<Pipeline> readDocumentFile(const std::string &path)
{
    auto text = readTextFile(path);
    if (!text)
        return text.error();
    return readDocument(text.value(), path);
}

} // namespace pw
