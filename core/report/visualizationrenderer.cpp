// SPDX-License-Identifier: Apache-2.0
#include "report/visualizationrenderer.h"

#include "report/markdown.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pw {

namespace {

using Json = nlohmann::json;

std::string num(double v, int decimals = 4)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        s.erase(s.find_last_not_of('0') + 1);
        if (s.back() == '.')
            s.pop_back();
    }
    return s;
}

std::string text(const Json &v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number())
        return num(v.get<double>());
    return v.dump();
}

std::string figure(const ArtifactRecord &r, const std::string &title, const std::string &body)
{
    return "<figure class=\"pw-viz pw-" + htmlEscape(r.visualization) + "\"><figcaption>" +
           htmlEscape(title) + " <span class=\"pw-src\">" + htmlEscape(r.task + " / " + r.name) +
           "</span></figcaption>\n" + body + "</figure>\n";
}

std::string confusionMatrix(const ArtifactRecord &r)
{
    const Json labels = r.metadata.value("labels", Json::array());
    const Json matrix = r.metadata.value("matrix", Json::array());
    const std::size_t n = labels.size();
    if (n == 0 || matrix.size() != n)
        return figure(r, "Confusion matrix", "<p>No data.</p>");
    double maxValue = 1;
    for (const auto &row : matrix)
        for (const auto &v : row)
            if (v.is_number())
                maxValue = std::max(maxValue, v.get<double>());
    const int cell = n > 8 ? 36 : 64, margin = 90;
    const int size = margin + cell * static_cast<int>(n) + 10;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(size) +
                      "\" height=\"" + std::to_string(size + 20) +
                      "\" role=\"img\" aria-label=\"confusion matrix\">\n";
    for (std::size_t i = 0; i < n; ++i) {
        const std::string label = htmlEscape(text(labels[i]));
        const int pos = margin + static_cast<int>(i) * cell + cell / 2;
        svg += "<text x=\"" + std::to_string(margin - 6) + "\" y=\"" + std::to_string(pos + 4) +
               "\" text-anchor=\"end\">" + label + "</text>\n";
        svg += "<text x=\"" + std::to_string(pos) + "\" y=\"" + std::to_string(margin - 8) +
               "\" text-anchor=\"middle\">" + label + "</text>\n";
        for (std::size_t j = 0; j < n; ++j) {
            const double v =
                matrix[i].size() > j && matrix[i][j].is_number() ? matrix[i][j].get<double>() : 0;
            const double t = v / maxValue;
            const int shade = 255 - static_cast<int>(std::lround(t * 200));
            const int x = margin + static_cast<int>(j) * cell, y = margin + static_cast<int>(i) * cell;
            svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
                   std::to_string(cell) + "\" height=\"" + std::to_string(cell) + "\" fill=\"rgb(" +
                   std::to_string(shade) + "," + std::to_string(shade) + ",255)\" stroke=\"#fff\"/>\n";
            svg += "<text x=\"" + std::to_string(x + cell / 2) + "\" y=\"" +
                   std::to_string(y + cell / 2 + 4) + "\" text-anchor=\"middle\" fill=\"" +
                   (t > 0.6 ? "#fff" : "#000") + "\">" + num(v) + "</text>\n";
        }
    }
    svg += "<text x=\"" + std::to_string(margin + cell * static_cast<int>(n) / 2) + "\" y=\"14\" " +
           "text-anchor=\"middle\" class=\"pw-axis\">predicted</text>\n";
    svg += "<text x=\"12\" y=\"" + std::to_string(margin + cell * static_cast<int>(n) / 2) +
           "\" class=\"pw-axis\" transform=\"rotate(-90 12 " +
           std::to_string(margin + cell * static_cast<int>(n) / 2) +
           ")\" text-anchor=\"middle\">actual</text>\n</svg>\n";
    return figure(r, "Confusion matrix", svg);
}

std::string rocCurve(const ArtifactRecord &r)
{
    Json points = r.metadata.value("points", Json::array());
    std::vector<std::pair<double, double>> xy;
    for (const auto &p : points)
        if (p.is_array() && p.size() >= 2 && p[0].is_number() && p[1].is_number())
            xy.emplace_back(p[0].get<double>(), p[1].get<double>());
    if (xy.empty())
        return figure(r, "ROC curve", "<p>No data.</p>");
    std::stable_sort(xy.begin(), xy.end());
    double auc = 0;
    for (std::size_t i = 1; i < xy.size(); ++i)
        auc += (xy[i].first - xy[i - 1].first) * (xy[i].second + xy[i - 1].second) / 2;
    const int plot = 260, left = 44, top = 12;
    auto px = [&](double x) { return num(left + x * plot, 1); };
    auto py = [&](double y) { return num(top + (1 - y) * plot, 1); };
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                      std::to_string(left + plot + 16) + "\" height=\"" + std::to_string(top + plot + 40) +
                      "\" role=\"img\" aria-label=\"ROC curve\">\n";
    svg += "<rect x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(top) + "\" width=\"" +
           std::to_string(plot) + "\" height=\"" + std::to_string(plot) +
           "\" fill=\"none\" stroke=\"#888\"/>\n";
    svg += "<line x1=\"" + px(0) + "\" y1=\"" + py(0) + "\" x2=\"" + px(1) + "\" y2=\"" + py(1) +
           "\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>\n";
    for (int t = 0; t <= 4; ++t) {
        const double v = t / 4.0;
        svg += "<text x=\"" + px(v) + "\" y=\"" + std::to_string(top + plot + 14) +
               "\" text-anchor=\"middle\">" + num(v, 2) + "</text>\n";
        svg += "<text x=\"" + std::to_string(left - 4) + "\" y=\"" + py(v) + "\" text-anchor=\"end\">" +
               num(v, 2) + "</text>\n";
    }
    std::string line;
    for (const auto &[x, y] : xy)
        line += px(x) + "," + py(y) + " ";
    svg += "<polyline fill=\"none\" stroke=\"#1a73e8\" stroke-width=\"2\" points=\"" + line + "\"/>\n";
    svg += "<text x=\"" + px(0.5) + "\" y=\"" + std::to_string(top + plot + 32) +
           "\" text-anchor=\"middle\" class=\"pw-axis\">false positive rate</text>\n";
    svg += "<text x=\"" + px(0.62) + "\" y=\"" + py(0.1) + "\">AUC " + num(auc, 4) + "</text>\n</svg>\n";
    return figure(r, "ROC curve", svg);
}

std::string table(const ArtifactRecord &r)
{
    std::string html = "<table class=\"pw-table\"><thead><tr>";
    for (const auto &h : r.metadata.value("header", Json::array()))
        html += "<th>" + htmlEscape(text(h)) + "</th>";
    html += "</tr></thead><tbody>\n";
    const Json rows = r.metadata.value("rows", Json::array());
    for (const auto &row : rows) {
        html += "<tr>";
        for (const auto &c : row)
            html += "<td>" + htmlEscape(text(c)) + "</td>";
        html += "</tr>\n";
    }
    html += "</tbody></table>\n";
    if (auto total = r.metadata.find("totalRows"); total != r.metadata.end() && total->is_number())
        html += "<p class=\"pw-note\">The first " + std::to_string(rows.size()) + " of " +
                std::to_string(total->get<std::size_t>()) + " rows.</p>\n";
    return figure(r, "Table", html);
}

std::string metrics(const ArtifactRecord &r)
{
    std::string html =
        "<table class=\"pw-table\"><thead><tr><th>metric</th><th>value</th></tr></thead><tbody>\n";
    for (const auto &m : r.metadata.value("metrics", Json::array())) {
        const double v = m.value("value", 0.0);
        const bool percent = m.value("format", "") == "PERCENTAGE";
        html += "<tr><td>" + htmlEscape(m.value("name", "")) + "</td><td>" +
                (percent ? num(v * 100, 2) + "%" : num(v)) + "</td></tr>\n";
    }
    return figure(r, "Metrics", html + "</tbody></table>\n");
}

} // namespace

std::string renderVisualization(const ArtifactRecord &r)
{
    const std::string &kind = r.visualization;
    if (auto why = r.metadata.find("notRendered"); why != r.metadata.end() && why->is_string())
        return figure(r, kind,
                      "<p class=\"pw-note\">Not drawn: " + htmlEscape(why->get<std::string>()) + ".</p>\n");
    if (kind == "confusion_matrix")
        return confusionMatrix(r);
    if (kind == "roc")
        return rocCurve(r);
    if (kind == "table")
        return table(r);
    if (kind == "metrics")
        return metrics(r);
    if (kind == "markdown")
        return figure(r, "Markdown",
                      "<div class=\"pw-md\">" + markdownToHtml(r.metadata.value("markdown", "")) +
                          "</div>\n");
    if (kind == "web-app" || kind == "html") {
        // srcdoc in a sandbox: the page keeps its own markup but cannot run
        // scripts or reach the report around it.
        return figure(r, kind == "html" ? "HTML" : "Web app",
                      "<iframe sandbox=\"\" class=\"pw-frame\" srcdoc=\"" +
                          htmlEscape(r.metadata.value("html", "")) + "\"></iframe>\n");
    }
    return figure(r, kind, "<p>This visualization type is not rendered locally.</p>\n");
}

const char *visualizationCss()
{
    return R"css(
.pw-viz { margin: 1em 0; padding: .5em 1em; border: 1px solid #ddd; border-radius: 6px; display: inline-block;
  vertical-align: top; }
.pw-viz figcaption { font-weight: 600; margin-bottom: .5em; }
.pw-src { font-weight: normal; color: #777; font-size: 85%; }
.pw-viz svg text { font: 12px sans-serif; }
.pw-axis { fill: #555; }
.pw-table { border-collapse: collapse; }
.pw-table td, .pw-table th, .pw-md td, .pw-md th { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
.pw-frame { width: 640px; height: 400px; border: 1px solid #ddd; }
)css";
}

} // namespace pw
