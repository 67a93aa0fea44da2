// SPDX-License-Identifier: Apache-2.0
// Recurring runs on Vertex AI: Schedules that create PipelineJobs, with a
// native time zone ("TZ=Asia/Tokyo 0 6 * * *").
#include "vertexbackend.h"

#include "cronschedule.h"
#include "jsonfields.h"
#include "runs/asyncwork.h"

#include <QTimeZone>

namespace pw::vertex {

namespace {

using Json = nlohmann::json;

// int64 fields arrive as strings.
std::int64_t int64Of(const Json &j, const char *key, std::int64_t fallback)
{
    const auto it = j.find(key);
    if (it == j.end())
        return fallback;
    if (it->is_number_integer())
        return it->get<std::int64_t>();
    if (it->is_string()) {
        try {
            return std::stoll(it->get<std::string>());
        } catch (const std::exception &) {
        }
    }
    return fallback;
}

} // namespace

Schedule VertexBackend::scheduleFrom(const Json &s) const
{
    Schedule out;
    out.id = lastSegment(text(s, "name"));
    out.name = text(s, "displayName");
    out.cron = text(s, "cron");
    // "TZ=Zone fields" or "CRON_TZ=Zone fields": the zone is the schedule's own.
    for (const char *prefix : {"TZ=", "CRON_TZ="}) {
        if (out.cron.rfind(prefix, 0) != 0)
            continue;
        const auto space = out.cron.find(' ');
        out.timeZone = out.cron.substr(std::string(prefix).size(), space - std::string(prefix).size());
        out.cron = space == std::string::npos ? std::string() : out.cron.substr(space + 1);
    }
    out.maxConcurrency = static_cast<int>(int64Of(s, "maxConcurrentRunCount", 1));
    out.enabled = text(s, "state") == "ACTIVE";
    out.createdMs = epochMsFromRfc3339(text(s, "createTime"));
    return out;
}

Future<Schedule> VertexBackend::createSchedule(const ScheduleRequest &request)
{
    return runAsync<Schedule>(m_pool, [this, request]() -> Result<Schedule> {
        if (request.intervalSeconds > 0)
            return Error{"Vertex AI schedules are cron lines; write the interval as one (e.g. '*/15 * * * *')", {}};
        auto cron = CronExpression::parse(request.cron);
        if (!cron.ok())
            return cron.error();
        if (cron->seconds != "0")
            return Error{"Vertex AI schedules run on the minute; the seconds field must be 0 (got '" + cron->seconds +
                             "')",
                         {}};
        if (!request.timeZone.empty() && !QTimeZone(QByteArray::fromStdString(request.timeZone)).isValid())
            return Error{"unknown time zone '" + request.timeZone + "' (an IANA name such as Asia/Tokyo)", {}};
        if (request.maxConcurrency < 1)
            return Error{"max concurrency must be at least 1", {}};
        auto job = jobFor(request.run);
        if (!job.ok())
            return job.error();
        const std::string pipeline = request.run.spec.pipelineName.empty() ? "pipeline" : request.run.spec.pipelineName;
        Json schedule = {
            {"displayName", request.name.empty() ? pipeline : request.name},
            {"cron", (request.timeZone.empty() ? std::string() : "TZ=" + request.timeZone + " ") + cron->fiveFields()},
            {"maxConcurrentRunCount", std::to_string(request.maxConcurrency)},
            {"createPipelineJobRequest", {{"parent", m_settings.where.parent()}, {"pipelineJob", *job}}},
        };
        if (request.startMs)
            schedule["startTime"] = rfc3339(request.startMs);
        if (request.endMs)
            schedule["endTime"] = rfc3339(request.endMs);
        auto made = m_net.vertex->call("POST", schedulesPath(), {}, &schedule);
        if (!made.ok())
            return made.error();
        return scheduleFrom(*made);
    });
}

Future<std::vector<Schedule>> VertexBackend::listSchedules()
{
    return runAsync<std::vector<Schedule>>(m_pool, [this]() -> Result<std::vector<Schedule>> {
        std::vector<Schedule> out;
        std::string token;
        for (int page = 0; page < 100; ++page) {
            net::Query q{{"pageSize", "100"}, {"filter", "create_pipeline_job_request:*"}};
            if (!token.empty())
                q.emplace_back("pageToken", token);
            auto reply = m_net.vertex->call("GET", schedulesPath(), q);
            if (!reply.ok())
                return reply.error();
            for (const Json &s : reply->value("schedules", Json::array()))
                out.push_back(scheduleFrom(s));
            token = text(*reply, "nextPageToken");
            if (token.empty())
                break;
        }
        return out;
    });
}

Future<Done> VertexBackend::setScheduleEnabled(const std::string &scheduleId, bool enabled)
{
    return runAsync<Done>(m_pool, [this, scheduleId, enabled]() -> Result<Done> {
        const Json empty = Json::object();
        const std::string path = schedulesPath() + "/" + net::urlEncode(scheduleId) + (enabled ? ":resume" : ":pause");
        if (auto r = m_net.vertex->call("POST", path, {}, &empty); !r.ok())
            return r.error();
        return Done{};
    });
}

Future<Done> VertexBackend::deleteSchedule(const std::string &scheduleId)
{
    return runAsync<Done>(m_pool, [this, scheduleId]() -> Result<Done> {
        if (auto r = m_net.vertex->call("DELETE", schedulesPath() + "/" + net::urlEncode(scheduleId)); !r.ok())
            return r.error();
        return Done{};
    });
}

} // namespace pw::vertex
