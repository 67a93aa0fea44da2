// SPDX-License-Identifier: Apache-2.0
// Recurring runs on Argo: CronWorkflows, with a native time zone.
#include "argobackend.h"

#include "argonodes.h"
#include "cronschedule.h"
#include "jsonfields.h"
#include "runs/asyncwork.h"
#include "validate/validator.h"

#include <QDateTime>
#include <QTimeZone>

namespace pw::argo {

namespace {

using Json = nlohmann::json;

// A CronWorkflow's name is a DNS label of at most 52 characters: the
// workflows it starts are named "<name>-<unix time>", which must fit 63.
constexpr std::size_t kCronNameMax = 52;
constexpr const char *kScheduleNameAnnotation = "pipewright.dev/schedule-name";
constexpr const char *kMaxConcurrencyAnnotation = "pipewright.dev/max-concurrency";

std::string cut(std::string name, std::size_t max)
{
    if (name.size() > max)
        name.resize(max);
    while (!name.empty() && name.back() == '-')
        name.pop_back();
    return name;
}

// "v3.5.8" -> {3, 5}; an unknown version counts as new.
std::pair<int, int> majorMinor(const std::string &version)
{
    int major = 99, minor = 0;
    std::sscanf(version.c_str(), "v%d.%d", &major, &minor);
    return {major, minor};
}

} // namespace

Future<Schedule> ArgoBackend::createSchedule(const ScheduleRequest &request)
{
    return runAsync<Schedule>(m_pool, [this, request]() -> Result<Schedule> {
        if (request.intervalSeconds > 0)
            return Error{"Argo schedules are cron lines; write the interval as one (e.g. '*/15 * * * *')",
                         {}};
        auto cron = CronExpression::parse(request.cron);
        if (!cron.ok())
            return cron.error();
        if (cron->seconds != "0")
            return Error{"Argo schedules run on the minute; the seconds field must be 0 (got '" +
                             cron->seconds + "')",
                         {}};
        if (!request.timeZone.empty() && !QTimeZone(QByteArray::fromStdString(request.timeZone)).isValid())
            return Error{"unknown time zone '" + request.timeZone + "' (an IANA name such as Asia/Tokyo)",
                         {}};
        auto workflow = workflowFor(request.run);
        if (!workflow.ok())
            return workflow.error();
        auto version = serverVersion();
        if (!version.ok())
            return version.error();
        Json spec = {{"workflowSpec", (*workflow)["spec"]},
                     {"concurrencyPolicy", request.maxConcurrency > 1 ? "Allow" : "Forbid"},
                     {"suspend", false}};
        // Argo 3.6 takes a list of schedules; older servers one `schedule`.
        const auto [major, minor] = majorMinor(*version);
        if (major > 3 || (major == 3 && minor >= 6))
            spec["schedules"] = Json::array({cron->fiveFields()});
        else
            spec["schedule"] = cron->fiveFields();
        if (!request.timeZone.empty())
            spec["timezone"] = request.timeZone;
        if (!request.catchUp)
            spec["startingDeadlineSeconds"] = 0; // a missed run is skipped
        // The workflows it starts carry what a submitted one does (the
        // pipeline's label, already a valid label value, and its full name).
        const Json &metadata = (*workflow)["metadata"];
        spec["workflowMetadata"]["labels"] = metadata["labels"];
        if (metadata.contains("annotations"))
            spec["workflowMetadata"]["annotations"] = metadata["annotations"];
        if (request.maxConcurrency > 1)
            spec["workflowMetadata"]["annotations"][kMaxConcurrencyAnnotation] =
                std::to_string(request.maxConcurrency);
        Json cronWorkflow = {{"apiVersion", "argoproj.io/v1alpha1"},
                             {"kind", "CronWorkflow"},
                             {"metadata", {{"namespace", m_argo->endpoint().ns}}},
                             {"spec", spec}};
        if (request.name.empty()) {
            // The workflow's own prefix (a DNS label from the pipeline's name), with room for the 5 random
            // characters.
            cronWorkflow["metadata"]["generateName"] =
                cut(text(metadata, "generateName"), kCronNameMax - 6) + "-";
        } else {
            const std::string name = cut(sanitizeK8sName(request.name), kCronNameMax);
            if (name.empty())
                return Error{"a schedule's name needs a letter or a digit (got '" + request.name + "')", {}};
            cronWorkflow["metadata"]["name"] = name;
            if (name != request.name) // what people called it; the CronWorkflow's name is a DNS label
                cronWorkflow["metadata"]["annotations"][kScheduleNameAnnotation] = request.name;
        }
        const Json body = {{"namespace", m_argo->endpoint().ns}, {"cronWorkflow", cronWorkflow}};
        auto made = m_argo->call("POST", path("cron-workflows"), {}, &body);
        if (!made.ok())
            return made.error();
        Schedule out;
        out.id = text(made->value("metadata", Json::object()), "name");
        out.name = request.name.empty() ? out.id : request.name;
        out.cron = cron->fiveFields();
        out.timeZone = request.timeZone;
        out.maxConcurrency = request.maxConcurrency;
        out.createdMs =
            epochMsFromRfc3339(text(made->value("metadata", Json::object()), "creationTimestamp"));
        if (!request.timeZone.empty())
            out.conversion = "Argo runs it in " + request.timeZone + " (daylight saving time included)";
        return out;
    });
}

Future<std::vector<Schedule>> ArgoBackend::listSchedules()
{
    return runAsync<std::vector<Schedule>>(m_pool, [this]() -> Result<std::vector<Schedule>> {
        auto reply = m_argo->call("GET", path("cron-workflows"));
        if (!reply.ok())
            return reply.error();
        std::vector<Schedule> out;
        const Json items = reply->value("items", Json::array());
        for (const Json &c : items.is_array() ? items : Json::array()) {
            const Json meta = c.value("metadata", Json::object());
            const Json spec = c.value("spec", Json::object());
            Schedule s;
            s.id = s.name = text(meta, "name");
            if (const std::string named = text(member(meta, "annotations"), kScheduleNameAnnotation);
                !named.empty())
                s.name = named;
            s.cron = text(spec, "schedule");
            if (const Json list = spec.value("schedules", Json::array());
                s.cron.empty() && !list.empty() && list[0].is_string())
                s.cron = list[0].get<std::string>();
            s.timeZone = text(spec, "timezone");
            s.enabled = !spec.value("suspend", false);
            s.maxConcurrency = 1;
            if (text(spec, "concurrencyPolicy") == "Allow") {
                const std::string max =
                    text(member(member(spec, "workflowMetadata"), "annotations"), kMaxConcurrencyAnnotation);
                s.maxConcurrency = max.empty() ? 10 : std::atoi(max.c_str());
            }
            s.createdMs = epochMsFromRfc3339(text(meta, "creationTimestamp"));
            out.push_back(std::move(s));
        }
        return out;
    });
}

Future<Done> ArgoBackend::setScheduleEnabled(const std::string &scheduleId, bool enabled)
{
    return runAsync<Done>(m_pool, [this, scheduleId, enabled]() -> Result<Done> {
        const Json body = {{"name", scheduleId}, {"namespace", m_argo->endpoint().ns}};
        if (auto r = m_argo->call(
                "PUT", path("cron-workflows", scheduleId) + (enabled ? "/resume" : "/suspend"), {}, &body);
            !r.ok())
            return r.error();
        return Done{};
    });
}

Future<Done> ArgoBackend::deleteSchedule(const std::string &scheduleId)
{
    return runAsync<Done>(m_pool, [this, scheduleId]() -> Result<Done> {
        if (auto r = m_argo->call("DELETE", path("cron-workflows", scheduleId)); !r.ok())
            return r.error();
        return Done{};
    });
}

} // namespace pw::argo
