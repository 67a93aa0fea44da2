// SPDX-License-Identifier: Apache-2.0
// Starting runs and recurring runs on KFP: inline specs, uploaded pipeline
// versions, experiments by name, and schedules in a time zone.
#include "kfpbackend.h"

#include "jsonfields.h"
#include "specoptions.h"

#include "argonodes.h"
#include "cronschedule.h"
#include "ir/pipelinespecio.h"
#include "runs/asyncwork.h"
#include "targets/argowriter.h"

#include <QDateTime>

namespace pw::kfp {

namespace {

using Json = nlohmann::json;

std::string runName(const RunRequest &request)
{
    if (!request.runName.empty())
        return request.runName;
    return (request.spec.pipelineName.empty() ? std::string("pipeline") : request.spec.pipelineName) + " " +
           QDateTime::currentDateTime().toString("yyyy-MM-dd HH:mm:ss").toStdString();
}

// v1 takes parameter values as text.
Json v1Parameters(const std::map<std::string, nlohmann::json> &values)
{
    Json list = Json::array();
    for (const auto &[name, value] : values)
        list.push_back({{"name", name}, {"value", value.is_string() ? value.get<std::string>() : value.dump()}});
    return list;
}

} // namespace

Result<Json> KfpBackend::pipelineSpecBody(const RunRequest &request)
{
    const ir::PipelineSpec spec = withCaching(request.spec, request.cache);
    Json ir = ir::pipelineSpecToJson(spec);
    const Json platform = ir::platformSpecToJson(spec);
    if (platform.is_null())
        return ir;
    return Json{{"pipeline_spec", ir}, {"platform_spec", platform}};
}

// Uploads the pipeline as a new version of the pipeline named in
// options.pipeline (created when missing) and returns its reference.
Result<Json> KfpBackend::versionReference(const RunRequest &request)
{
    const std::string pipelineName = request.options.value("pipeline", "");
    const std::string version = request.options.value("version", "");
    const net::Query ns = namespaceQuery();
    auto found = m_kfp->call("GET", "/apis/v2beta1/pipelines/names/" + net::urlEncode(pipelineName), ns);
    std::string pipelineId;
    if (found.ok())
        pipelineId = text(*found, "pipeline_id");
    else if (found.error().message.find("HTTP 404") == std::string::npos)
        return found.error();
    const std::string yaml = ir::writePipelineSpecYaml(withCaching(request.spec, request.cache));
    const std::string versionName =
        version.empty() ? pipelineName + " " + QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()
                        : version;
    const auto [contentType, body] = net::multipartFile("uploadfile", pipelineName + ".yaml", "application/x-yaml", yaml);
    net::Query q = ns;
    std::string path;
    if (pipelineId.empty()) {
        path = "/apis/v2beta1/pipelines/upload";
        q.emplace_back("name", pipelineName);
        q.emplace_back("display_name", pipelineName);
    } else {
        path = "/apis/v2beta1/pipelines/upload_version";
        q.emplace_back("pipelineid", pipelineId);
        q.emplace_back("name", versionName);
        q.emplace_back("display_name", versionName);
    }
    auto uploaded = m_kfp->fetch("POST", path, q, body, contentType);
    if (!uploaded.ok())
        return uploaded.error();
    const Json reply = Json::parse(*uploaded, nullptr, false);
    if (!reply.is_object())
        return Error{"KFP answered the upload with something that is not JSON", {}};
    if (pipelineId.empty()) {
        // A new pipeline: its first version is the one uploaded.
        pipelineId = text(reply, "pipeline_id");
        auto versions = m_kfp->call("GET", "/apis/v2beta1/pipelines/" + net::urlEncode(pipelineId) + "/versions",
                                    {{"page_size", "1"}, {"sort_by", "created_at desc"}});
        if (!versions.ok())
            return versions.error();
        const Json list = versions->value("pipeline_versions", Json::array());
        if (list.empty())
            return Error{"KFP created pipeline '" + pipelineName + "' but lists no version of it", {}};
        return Json{{"pipeline_id", pipelineId}, {"pipeline_version_id", text(list.front(), "pipeline_version_id")}};
    }
    return Json{{"pipeline_id", pipelineId}, {"pipeline_version_id", text(reply, "pipeline_version_id")}};
}

Result<SubmittedRun> KfpBackend::submitV2(const RunRequest &request)
{
    Json body = {{"display_name", runName(request)}};
    if (!request.experiment.empty()) {
        auto id = experimentId(request.experiment, true);
        if (!id.ok())
            return id.error();
        body["experiment_id"] = *id;
    } else if (const std::string id = request.options.value("experimentId", ""); !id.empty()) {
        body["experiment_id"] = id;
    }
    if (!request.options.value("pipeline", "").empty()) {
        auto ref = versionReference(request);
        if (!ref.ok())
            return ref.error();
        body["pipeline_version_reference"] = *ref;
    } else {
        auto spec = pipelineSpecBody(request);
        if (!spec.ok())
            return spec.error();
        body["pipeline_spec"] = *spec;
    }
    Json config = {{"parameters", Json::object()}};
    for (const auto &[name, value] : request.parameters)
        config["parameters"][name] = value;
    if (!request.pipelineRoot.empty())
        config["pipeline_root"] = request.pipelineRoot;
    body["runtime_config"] = config;
    if (!request.serviceAccount.empty())
        body["service_account"] = request.serviceAccount;
    auto made = m_kfp->call("POST", "/apis/v2beta1/runs", namespaceQuery(), &body);
    if (!made.ok())
        return made.error();
    const std::string id = text(*made, "run_id");
    return SubmittedRun{id, m_kfp->endpoint().url + "/#/runs/details/" + id};
}

Result<SubmittedRun> KfpBackend::submitV1(const RunRequest &request)
{
    ArgoOptions argo;
    if (!request.serviceAccount.empty())
        argo.serviceAccount = request.serviceAccount;
    auto workflow = argoWorkflow(request.spec, argo);
    if (!workflow.ok())
        return workflow.error();
    Json body = {{"name", runName(request)},
                 {"pipeline_spec",
                  {{"workflow_manifest", workflow->dump()}, {"parameters", v1Parameters(request.parameters)}}}};
    Json refs = Json::array();
    if (!request.experiment.empty()) {
        auto id = experimentId(request.experiment, true);
        if (!id.ok())
            return id.error();
        refs.push_back({{"key", {{"type", "EXPERIMENT"}, {"id", *id}}}, {"relationship", "OWNER"}});
    }
    if (!m_kfp->endpoint().ns.empty())
        refs.push_back({{"key", {{"type", "NAMESPACE"}, {"id", m_kfp->endpoint().ns}}}, {"relationship", "OWNER"}});
    if (!refs.empty())
        body["resource_references"] = refs;
    if (!request.serviceAccount.empty())
        body["service_account"] = request.serviceAccount;
    auto made = m_kfp->call("POST", "/apis/v1beta1/runs", {}, &body);
    if (!made.ok())
        return made.error();
    const std::string id = text(made->value("run", Json::object()), "id");
    return SubmittedRun{id, m_kfp->endpoint().url + "/#/runs/details/" + id};
}

Future<SubmittedRun> KfpBackend::submit(const RunRequest &request)
{
    return runAsync<SubmittedRun>(m_pool, [this, request]() -> Result<SubmittedRun> {
        auto version = api();
        if (!version.ok())
            return version.error();
        if (*version == "v1" && !request.options.value("pipeline", "").empty())
            return Error{"uploading pipeline versions is supported on KFP v2 (this server speaks v1)", {}};
        return *version == "v2" ? submitV2(request) : submitV1(request);
    });
}

Result<Schedule> KfpBackend::scheduleV2(const ScheduleRequest &request)
{
    Schedule out;
    Json trigger;
    if (request.intervalSeconds > 0) {
        trigger = {{"periodic_schedule", {{"interval_second", std::to_string(request.intervalSeconds)}}}};
        out.intervalSeconds = request.intervalSeconds;
    } else {
        auto cron = CronExpression::parse(request.cron);
        if (!cron.ok())
            return cron.error();
        // KFP has no time-zone field: the server runs the cron in UTC.
        auto zoned = cronInUtc(*cron, request.timeZone,
                               request.startMs ? QDateTime::fromMSecsSinceEpoch(request.startMs)
                                               : QDateTime::currentDateTimeUtc());
        if (!zoned.ok())
            return zoned.error();
        out.cron = zoned->utc.sixFields();
        out.conversion = zoned->note;
        trigger = {{"cron_schedule", {{"cron", out.cron}}}};
    }
    Json &schedule = trigger.begin().value();
    if (request.startMs)
        schedule["start_time"] = rfc3339(request.startMs);
    if (request.endMs)
        schedule["end_time"] = rfc3339(request.endMs);
    if (request.maxConcurrency < 1 || request.maxConcurrency > 10)
        return Error{"KFP runs at most 1 to 10 runs of a schedule at once (got " +
                         std::to_string(request.maxConcurrency) + ")",
                     {}};
    out.name = request.name.empty() ? runName(request.run) : request.name;
    Json body = {{"display_name", out.name},
                 {"trigger", trigger},
                 {"max_concurrency", std::to_string(request.maxConcurrency)},
                 {"mode", "ENABLE"},
                 {"no_catchup", !request.catchUp}};
    if (!request.run.experiment.empty()) {
        auto id = experimentId(request.run.experiment, true);
        if (!id.ok())
            return id.error();
        body["experiment_id"] = *id;
        out.experiment = request.run.experiment;
    }
    if (!request.run.options.value("pipeline", "").empty()) {
        auto ref = versionReference(request.run);
        if (!ref.ok())
            return ref.error();
        body["pipeline_version_reference"] = *ref;
    } else {
        auto spec = pipelineSpecBody(request.run);
        if (!spec.ok())
            return spec.error();
        body["pipeline_spec"] = *spec;
    }
    Json config = {{"parameters", Json::object()}};
    for (const auto &[name, value] : request.run.parameters)
        config["parameters"][name] = value;
    if (!request.run.pipelineRoot.empty())
        config["pipeline_root"] = request.run.pipelineRoot;
    body["runtime_config"] = config;
    if (!request.run.serviceAccount.empty())
        body["service_account"] = request.run.serviceAccount;
    if (!m_kfp->endpoint().ns.empty())
        body["namespace"] = m_kfp->endpoint().ns;
    auto made = m_kfp->call("POST", "/apis/v2beta1/recurringruns", {}, &body);
    if (!made.ok())
        return made.error();
    out.id = text(*made, "recurring_run_id");
    out.maxConcurrency = request.maxConcurrency;
    out.createdMs = epochMsFromRfc3339(text(*made, "created_at"));
    return out;
}

Result<Schedule> KfpBackend::scheduleV1(const ScheduleRequest &request)
{
    Schedule out;
    Json trigger;
    if (request.intervalSeconds > 0) {
        trigger = {{"periodic_schedule", {{"interval_second", std::to_string(request.intervalSeconds)}}}};
        out.intervalSeconds = request.intervalSeconds;
    } else {
        auto cron = CronExpression::parse(request.cron);
        if (!cron.ok())
            return cron.error();
        auto zoned = cronInUtc(*cron, request.timeZone, QDateTime::currentDateTimeUtc());
        if (!zoned.ok())
            return zoned.error();
        out.cron = zoned->utc.sixFields();
        out.conversion = zoned->note;
        trigger = {{"cron_schedule", {{"cron", out.cron}}}};
    }
    ArgoOptions argo;
    if (!request.run.serviceAccount.empty())
        argo.serviceAccount = request.run.serviceAccount;
    auto workflow = argoWorkflow(request.run.spec, argo);
    if (!workflow.ok())
        return workflow.error();
    out.name = request.name.empty() ? runName(request.run) : request.name;
    Json body = {{"name", out.name},
                 {"pipeline_spec",
                  {{"workflow_manifest", workflow->dump()}, {"parameters", v1Parameters(request.run.parameters)}}},
                 {"trigger", trigger},
                 {"max_concurrency", std::to_string(request.maxConcurrency)},
                 {"enabled", true},
                 {"no_catchup", !request.catchUp}};
    Json refs = Json::array();
    if (!request.run.experiment.empty()) {
        auto id = experimentId(request.run.experiment, true);
        if (!id.ok())
            return id.error();
        refs.push_back({{"key", {{"type", "EXPERIMENT"}, {"id", *id}}}, {"relationship", "OWNER"}});
    }
    if (!m_kfp->endpoint().ns.empty())
        refs.push_back({{"key", {{"type", "NAMESPACE"}, {"id", m_kfp->endpoint().ns}}}, {"relationship", "OWNER"}});
    if (!refs.empty())
        body["resource_references"] = refs;
    auto made = m_kfp->call("POST", "/apis/v1beta1/jobs", {}, &body);
    if (!made.ok())
        return made.error();
    out.id = text(*made, "id");
    out.maxConcurrency = request.maxConcurrency;
    return out;
}

Future<Schedule> KfpBackend::createSchedule(const ScheduleRequest &request)
{
    return runAsync<Schedule>(m_pool, [this, request]() -> Result<Schedule> {
        auto version = api();
        if (!version.ok())
            return version.error();
        return *version == "v2" ? scheduleV2(request) : scheduleV1(request);
    });
}

Future<std::vector<Schedule>> KfpBackend::listSchedules()
{
    return runAsync<std::vector<Schedule>>(m_pool, [this]() -> Result<std::vector<Schedule>> {
        auto version = api();
        if (!version.ok())
            return version.error();
        const bool v2 = *version == "v2";
        std::vector<Schedule> out;
        net::Query q = namespaceQuery();
        q.emplace_back("page_size", "200");
        for (std::string token;;) {
            net::Query page = q;
            if (!token.empty())
                page.emplace_back("page_token", token);
            auto reply = m_kfp->call("GET", v2 ? "/apis/v2beta1/recurringruns" : "/apis/v1beta1/jobs", page);
            if (!reply.ok())
                return reply.error();
            // The v2 list is the one KFP answer in camelCase (the proto's json_name).
            for (const Json &r : reply->value(v2 ? "recurringRuns" : "jobs", Json::array())) {
                Schedule s;
                s.id = text(r, v2 ? "recurring_run_id" : "id");
                s.name = text(r, v2 ? "display_name" : "name");
                const Json trigger = r.value("trigger", Json::object());
                s.cron = text(trigger.value("cron_schedule", Json::object()), "cron");
                const std::string interval = text(trigger.value("periodic_schedule", Json::object()), "interval_second");
                s.intervalSeconds = interval.empty() ? 0 : std::stoll(interval);
                const std::string concurrency = text(r, "max_concurrency");
                s.maxConcurrency = concurrency.empty() ? 1 : std::stoi(concurrency);
                s.enabled = v2 ? text(r, "mode") != "DISABLE" : r.value("enabled", false);
                s.experiment = text(r, "experiment_id");
                s.createdMs = epochMsFromRfc3339(text(r, "created_at"));
                out.push_back(std::move(s));
            }
            token = text(*reply, "next_page_token");
            if (token.empty())
                return out;
        }
    });
}

Future<Done> KfpBackend::setScheduleEnabled(const std::string &scheduleId, bool enabled)
{
    return callForDone("POST", [scheduleId, enabled](const std::string &version) {
        const std::string id = net::urlEncode(scheduleId);
        return version == "v2" ? "/apis/v2beta1/recurringruns/" + id + (enabled ? ":enable" : ":disable")
                               : "/apis/v1beta1/jobs/" + id + (enabled ? "/enable" : "/disable");
    });
}

Future<Done> KfpBackend::deleteSchedule(const std::string &scheduleId)
{
    return callForDone("DELETE", [scheduleId](const std::string &version) {
        const std::string id = net::urlEncode(scheduleId);
        return version == "v2" ? "/apis/v2beta1/recurringruns/" + id : "/apis/v1beta1/jobs/" + id;
    });
}

} // namespace pw::kfp
