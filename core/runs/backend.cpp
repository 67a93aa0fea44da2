// SPDX-License-Identifier: Apache-2.0
#include "runs/backend.h"

#include "runs/pollingrunwatch.h"

#include <array>
#include <utility>

namespace pw {

namespace {

constexpr std::array<std::pair<Capability, const char *>, 12> kCapabilityNames{{
    {Capability::Cancel, "cancel"},
    {Capability::Retry, "retry"},
    {Capability::Clone, "clone"},
    {Capability::LogsFollow, "logs-follow"},
    {Capability::Artifacts, "artifacts"},
    {Capability::Experiments, "experiments"},
    {Capability::Schedules, "schedules"},
    {Capability::Delete, "delete"},
    {Capability::ServiceAccount, "service-account"},
    {Capability::Archive, "archive"},
    {Capability::Pipelines, "pipelines"},
    {Capability::Resubmit, "resubmit"},
}};

} // namespace

std::vector<std::string> capabilityNames(Capabilities caps)
{
    std::vector<std::string> names;
    for (const auto &[c, n] : kCapabilityNames)
        if (caps.testFlag(c))
            names.emplace_back(n);
    return names;
}

Error Backend::unsupportedError(const std::string &what) const
{
    return Error{"the " + name().toStdString() + " backend (" + kind().toStdString() + ") cannot " + what,
                 {}};
}

Future<std::string> Backend::resolveRunId(const std::string &idOrPrefix)
{
    return ready<std::string>(idOrPrefix);
}

std::unique_ptr<RunWatch> Backend::watch(const std::string &runId)
{
    return std::make_unique<PollingRunWatch>(this, runId);
}

Future<RunState> Backend::cancel(const std::string &)
{
    return unsupported<RunState>("cancel runs");
}
Future<std::string> Backend::retry(const std::string &)
{
    return unsupported<std::string>("retry runs");
}
Future<RunRequest> Backend::runRequest(const std::string &)
{
    return unsupported<RunRequest>("tell what a run was started from");
}
Future<Done> Backend::deleteRun(const std::string &)
{
    return unsupported<Done>("delete runs");
}
Future<std::string> Backend::readArtifact(const std::string &, const ArtifactRecord &)
{
    return unsupported<std::string>("read artifacts");
}
Future<Done> Backend::archiveRun(const std::string &)
{
    return unsupported<Done>("archive runs");
}
Future<SubmittedRun> Backend::resubmit(const std::string &)
{
    return unsupported<SubmittedRun>("resubmit runs");
}
Future<std::vector<Experiment>> Backend::listExperiments()
{
    return unsupported<std::vector<Experiment>>("list experiments");
}
Future<Done> Backend::archiveExperiment(const std::string &)
{
    return unsupported<Done>("archive experiments");
}
Future<std::vector<StoredPipeline>> Backend::listPipelines()
{
    return unsupported<std::vector<StoredPipeline>>("list uploaded pipelines");
}
Future<Schedule> Backend::createSchedule(const ScheduleRequest &)
{
    return unsupported<Schedule>("schedule runs");
}
Future<std::vector<Schedule>> Backend::listSchedules()
{
    return unsupported<std::vector<Schedule>>("list schedules");
}
Future<Done> Backend::setScheduleEnabled(const std::string &, bool)
{
    return unsupported<Done>("pause or resume schedules");
}
Future<Done> Backend::deleteSchedule(const std::string &)
{
    return unsupported<Done>("delete schedules");
}

} // namespace pw
