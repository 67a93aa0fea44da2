// SPDX-License-Identifier: Apache-2.0
#include "report/outputindex.h"

#include "report/visualizationrenderer.h"

#include <cctype>
#include <unordered_map>

namespace pw {

namespace {

using Json = nlohmann::json;

std::string normalized(const std::string &name)
{
    std::string out;
    for (char c : name)
        out += std::isalnum(static_cast<unsigned char>(c))
                   ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                   : '-';
    return out;
}

// A string member, or `fallback` when it is missing or not a string: task
// output is untrusted, and a wrong JSON type must not stop the indexing.
std::string str(const Json &j, const char *key, const std::string &fallback = {})
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

Json array(const Json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_array() ? *it : Json::array();
}

std::vector<std::vector<std::string>> parseCsv(const std::string &text)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(cell);
            cell.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            row.push_back(cell);
            cell.clear();
            if (!(row.size() == 1 && row.front().empty()))
                rows.push_back(row);
            row.clear();
        } else {
            cell += c;
        }
    }
    if (!cell.empty() || !row.empty()) {
        row.push_back(cell);
        rows.push_back(row);
    }
    return rows;
}

double toNumber(const std::string &s)
{
    try {
        return std::stod(s);
    } catch (const std::exception &) {
        return 0;
    }
}

// The content a v1 UI metadata entry points at: inline, or wherever its
// source says (read by the backend's reader).
std::optional<std::string> sourceOf(const Json &entry, const ContentReader &read)
{
    const std::string source = str(entry, "source");
    if (str(entry, "storage") == "inline")
        return source;
    if (source.empty())
        return std::nullopt;
    return read(source);
}

int column(const Json &schema, const std::string &name, int fallback)
{
    int i = 0;
    for (const auto &c : schema) {
        if (c.is_object() && str(c, "name") == name)
            return i;
        ++i;
    }
    return fallback;
}

// Text read from a task's files may hold any bytes; what cannot be written
// as JSON is not rendered (and never reaches the store).
bool isUtf8Json(const Json &data)
{
    try {
        (void)data.dump();
        return true;
    } catch (const Json::type_error &) {
        return false;
    }
}

void addViz(IndexedOutputs &out, const ArtifactRecord &base, const std::string &kind, Json data)
{
    ArtifactRecord r = base;
    r.visualization = kind;
    r.metadata = isUtf8Json(data) ? std::move(data) : Json{{"notRendered", "its data is not UTF-8 text"}};
    r.metadata["html"] = renderVisualization(r);
    out.artifacts.push_back(std::move(r));
}

void notRendered(IndexedOutputs &out, const ArtifactRecord &base, const std::string &kind,
                 const std::string &why)
{
    addViz(out, base, kind, {{"notRendered", why}});
}

// At most `limit` points, evenly spread and keeping the first and the last.
Json thinned(Json points, std::size_t limit)
{
    if (points.size() <= limit || limit < 2)
        return points;
    Json kept = Json::array();
    const double step = static_cast<double>(points.size() - 1) / static_cast<double>(limit - 1);
    for (std::size_t i = 0; i < limit; ++i)
        kept.push_back(std::move(points[static_cast<std::size_t>(static_cast<double>(i) * step + 0.5)]));
    return kept;
}

void confusionMatrixV1(IndexedOutputs &out, const ArtifactRecord &base, const Json &entry,
                       const std::string &source)
{
    const Json schema = array(entry, "schema");
    const int t = column(schema, "target", 0), p = column(schema, "predicted", 1),
              c = column(schema, "count", 2);
    std::vector<std::string> names;
    std::unordered_map<std::string, std::size_t> index;
    const std::size_t limit = kVisualizationLimits.matrixLabels;
    auto indexOf = [&](const std::string &label) {
        auto [it, added] = index.emplace(label, names.size());
        if (added)
            names.push_back(label);
        return it->second;
    };
    for (const auto &l : array(entry, "labels"))
        indexOf(l.is_string() ? l.get<std::string>() : l.dump());
    std::vector<std::tuple<std::size_t, std::size_t, double>> cells;
    for (const auto &row : parseCsv(source))
        if (static_cast<int>(row.size()) > std::max({t, p, c}))
            cells.emplace_back(indexOf(row[t]), indexOf(row[p]), toNumber(row[c]));
    if (names.size() > limit)
        return notRendered(out, base, "confusion_matrix",
                           "the confusion matrix has " + std::to_string(names.size()) + " labels; at most " +
                               std::to_string(limit) + " are drawn");
    std::vector<std::vector<double>> matrix(names.size(), std::vector<double>(names.size(), 0.0));
    for (const auto &[i, j, v] : cells)
        matrix[i][j] += v;
    addViz(out, base, "confusion_matrix", {{"labels", names}, {"matrix", matrix}});
}

void tableV1(IndexedOutputs &out, const ArtifactRecord &base, const Json &entry, const std::string &source)
{
    auto rows = parseCsv(source);
    Json data{{"header", array(entry, "header")}};
    if (rows.size() > kVisualizationLimits.tableRows) {
        data["totalRows"] = rows.size();
        rows.resize(kVisualizationLimits.tableRows);
    }
    data["rows"] = rows;
    addViz(out, base, "table", std::move(data));
}

void v1UiMetadata(IndexedOutputs &out, const ArtifactRecord &base, const Json &doc, const ContentReader &read)
{
    for (const auto &entry : array(doc, "outputs")) {
        if (!entry.is_object())
            continue;
        const std::string type = str(entry, "type");
        const auto source = sourceOf(entry, read);
        if (type == "markdown") {
            addViz(out, base, type, {{"markdown", source.value_or("")}});
        } else if (type == "web-app") {
            addViz(out, base, type, {{"html", source.value_or("")}});
        } else if (type == "confusion_matrix" && source) {
            confusionMatrixV1(out, base, entry, *source);
        } else if (type == "roc" && source) {
            const Json schema = array(entry, "schema");
            const int f = column(schema, "fpr", 0), tp = column(schema, "tpr", 1),
                      th = column(schema, "thresholds", 2);
            Json points = Json::array();
            for (const auto &row : parseCsv(*source))
                if (static_cast<int>(row.size()) > std::max(f, tp))
                    points.push_back({toNumber(row[f]), toNumber(row[tp]),
                                      static_cast<int>(row.size()) > th ? toNumber(row[th]) : 0.0});
            addViz(out, base, type,
                   {{"points", thinned(std::move(points), kVisualizationLimits.curvePoints)}});
        } else if (type == "table" && source) {
            tableV1(out, base, entry, *source);
        } else if (!type.empty()) {
            addViz(out, base, type, {{"entry", entry}});
        }
    }
}

void v1Metrics(IndexedOutputs &out, const ArtifactRecord &base, const Json &doc)
{
    if (!doc.is_object())
        return;
    Json list = Json::array();
    for (const auto &m : array(doc, "metrics")) {
        if (!m.is_object() || !m.contains("numberValue") || !m["numberValue"].is_number())
            continue;
        MetricRecord r{base.task, str(m, "name"), m["numberValue"].get<double>(), str(m, "format", "RAW")};
        list.push_back({{"name", r.name}, {"value", r.value}, {"format", r.format}});
        out.metrics.push_back(std::move(r));
    }
    addViz(out, base, "metrics", {{"metrics", list}});
}

void v2Metrics(IndexedOutputs &out, const ArtifactRecord &base, const OutputArtifact &a,
               const ContentReader &read)
{
    Json values = a.metadata;
    if (values.empty()) // a container component may write the numbers to the file instead
        if (auto text = read(a.location))
            values = Json::parse(*text, nullptr, false);
    Json list = Json::array();
    if (values.is_object())
        for (const auto &[name, v] : values.items())
            if (v.is_number()) {
                out.metrics.push_back({base.task, name, v.get<double>(), ""});
                list.push_back({{"name", name}, {"value", v.get<double>()}});
            }
    addViz(out, base, "metrics", {{"metrics", list}});
}

void v2Classification(IndexedOutputs &out, const ArtifactRecord &base, const OutputArtifact &a)
{
    if (auto cm = a.metadata.find("confusionMatrix"); cm != a.metadata.end() && cm->is_object()) {
        Json labels = Json::array(), matrix = Json::array();
        if (const std::size_t n = array(*cm, "annotationSpecs").size(); n > kVisualizationLimits.matrixLabels)
            notRendered(out, base, "confusion_matrix",
                        "the confusion matrix has " + std::to_string(n) + " labels; at most " +
                            std::to_string(kVisualizationLimits.matrixLabels) + " are drawn");
        else {
            for (const auto &spec : array(*cm, "annotationSpecs"))
                labels.push_back(spec.is_object() ? str(spec, "displayName") : std::string());
            for (const auto &row : array(*cm, "rows"))
                matrix.push_back(row.is_object() ? array(row, "row") : Json::array());
            addViz(out, base, "confusion_matrix", {{"labels", labels}, {"matrix", matrix}});
        }
    }
    if (auto cms = a.metadata.find("confidenceMetrics"); cms != a.metadata.end() && cms->is_array()) {
        Json points = Json::array();
        const auto number = [](const Json &p, const char *key) {
            const auto it = p.find(key);
            return it != p.end() && it->is_number() ? it->get<double>() : 0.0;
        };
        for (const auto &p : *cms)
            if (p.is_object())
                points.push_back(
                    {number(p, "falsePositiveRate"), number(p, "recall"), number(p, "confidenceThreshold")});
        addViz(out, base, "roc", {{"points", thinned(std::move(points), kVisualizationLimits.curvePoints)}});
    }
}

} // namespace

IndexedOutputs indexOutputs(const std::string &taskId, const std::vector<OutputArtifact> &outputs,
                            const ContentReader &read)
{
    IndexedOutputs out;
    for (const OutputArtifact &a : outputs) {
        ArtifactRecord base{taskId, a.name, a.uri, a.schemaTitle, "", a.metadata, a.extra};
        out.artifacts.push_back(base);
        const std::string key = normalized(a.name);
        const std::string file = a.location.substr(a.location.find_last_of('/') + 1);
        if (key == "mlpipeline-metrics" || file == "mlpipeline-metrics.json") {
            // A v1 component's metrics file ({"metrics": [...]}); once lowered to
            // KFP v2 the same output is a system.Metrics artifact ({name: number}).
            const auto text = read(a.location);
            const Json doc = text ? Json::parse(*text, nullptr, false) : Json();
            if (doc.is_object() && doc.contains("metrics"))
                v1Metrics(out, base, doc);
            else if (a.schemaTitle == "system.Metrics")
                v2Metrics(out, base, a, read);
        } else if (key == "mlpipeline-ui-metadata" || file == "mlpipeline-ui-metadata.json") {
            if (auto text = read(a.location); text) {
                const Json doc = Json::parse(*text, nullptr, false);
                if (doc.is_object())
                    v1UiMetadata(out, base, doc, read);
            }
        } else if (a.schemaTitle == "system.Metrics") {
            v2Metrics(out, base, a, read);
        } else if (a.schemaTitle == "system.ClassificationMetrics") {
            v2Classification(out, base, a);
        } else if (a.schemaTitle == "system.HTML" || a.schemaTitle == "system.Markdown") {
            const bool html = a.schemaTitle == "system.HTML";
            if (auto text = read(a.location))
                addViz(out, base, html ? "html" : "markdown", {{html ? "html" : "markdown", *text}});
        }
    }
    return out;
}

} // namespace pw
