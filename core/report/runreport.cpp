// SPDX-License-Identifier: Apache-2.0
#include "report/runreport.h"

#include "report/markdown.h"
#include "report/visualizationrenderer.h"

#include <QDateTime>

#include <algorithm>

namespace pw {

namespace {

std::string when(std::int64_t ms)
{
    if (ms <= 0)
        return "";
    return QDateTime::fromMSecsSinceEpoch(ms).toString("yyyy-MM-dd HH:mm:ss").toStdString();
}


std::string stateBadge(std::string_view state)
{
    const std::string s(state);
    return "<span class=\"pw-state pw-state-" + s + "\">" + s + "</span>";
}

std::string shortJson(const nlohmann::json &j)
{
    std::string s = j.is_string() ? j.get<std::string>() : j.dump();
    if (s.size() > 200)
        s = s.substr(0, 197) + "...";
    return s;
}

const char *kReportCss = R"css(
body { font: 14px sans-serif; margin: 2em; color: #222; }
table.pw-tasks { border-collapse: collapse; }
table.pw-tasks td, table.pw-tasks th { border-bottom: 1px solid #eee; padding: 3px 10px; text-align: left;
  vertical-align: top; }
.pw-state { padding: 1px 6px; border-radius: 8px; font-size: 85%; background: #eee; }
.pw-state-succeeded { background: #d4edda; } .pw-state-failed { background: #f8d7da; }
.pw-state-running { background: #d6e9ff; } .pw-state-cached { background: #e2e3f3; }
.pw-state-skipped, .pw-state-cancelled, .pw-state-interrupted { background: #fff3cd; }
.pw-muted { color: #777; }
)css";

} // namespace

std::string htmlPage(const std::string &title, const std::string &body)
{
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + htmlEscape(title) + "</title>\n<style>" +
           kReportCss + visualizationCss() + "</style></head>\n<body>\n" + body + "</body></html>\n";
}

std::string renderTaskVisualizations(const RunGraph &run, const std::string &taskId)
{
    std::string html;
    for (const ArtifactRecord &a : run.artifacts) {
        if (a.task != taskId || a.visualization.empty())
            continue;
        if (auto h = a.metadata.find("html"); h != a.metadata.end() && h->is_string())
            html += h->get<std::string>();
        else
            html += renderVisualization(a);
    }
    return html;
}

std::string renderRunReport(const RunGraph &run)
{
    std::string body = "<h1>" + htmlEscape(run.name) + " " + stateBadge(toString(run.state)) + "</h1>\n";
    body += "<p class=\"pw-muted\">Pipeline " + htmlEscape(run.pipelineName) + " · run " + htmlEscape(run.id) +
            " · created " + htmlEscape(when(run.createdMs)) + " · " + htmlEscape(formatElapsed(run.createdMs, run.finishedMs)) +
            "</p>\n";
    if (!run.message.empty())
        body += "<p>" + htmlEscape(run.message) + "</p>\n";
    if (!run.parameters.empty()) {
        body += "<h2>Parameters</h2>\n<table class=\"pw-tasks\">";
        for (const auto &[k, v] : run.parameters.items())
            body += "<tr><td>" + htmlEscape(k) + "</td><td>" + htmlEscape(shortJson(v)) + "</td></tr>";
        body += "</table>\n";
    }
    body += "<h2>Tasks</h2>\n<table class=\"pw-tasks\"><tr><th>task</th><th>state</th><th>started</th>"
            "<th>duration</th><th>outputs</th></tr>\n";
    for (const TaskRecord *task : run.treeOrder()) {
        const TaskRecord &t = *task;
        const int depth = static_cast<int>(std::count(t.id.begin(), t.id.end(), '/'));
        std::string outputs;
        const nlohmann::json params = t.outputs.value("parameters", nlohmann::json::object());
        for (const auto &[k, v] : params.items())
            outputs += htmlEscape(k) + " = " + htmlEscape(shortJson(v)) + "<br>";
        body += "<tr><td style=\"padding-left:" + std::to_string(10 + depth * 18) + "px\">" +
                htmlEscape(t.displayName) + " <span class=\"pw-muted\">" + htmlEscape(t.id) + "</span>" +
                (t.message.empty() ? "" : "<br><span class=\"pw-muted\">" + htmlEscape(t.message) + "</span>") +
                "</td><td>" + stateBadge(toString(t.state)) +
                (t.attempts > 1 ? " ×" + std::to_string(t.attempts) : "") + "</td><td>" +
                htmlEscape(when(t.startedMs)) + "</td><td>" + htmlEscape(formatElapsed(t.startedMs, t.finishedMs)) +
                "</td><td>" + outputs + "</td></tr>\n";
    }
    body += "</table>\n";
    for (const TaskRecord *t : run.treeOrder()) {
        const std::string viz = renderTaskVisualizations(run, t->id);
        if (!viz.empty())
            body += "<h2>" + htmlEscape(t->displayName) + "</h2>\n" + viz;
    }
    return htmlPage(run.name, body);
}

} // namespace pw
