// SPDX-License-Identifier: Apache-2.0
// What a KFP server keeps besides runs: uploaded pipelines and their
// versions, and archiving of runs and experiments.
#include "kfpbackend.h"

#include "jsonfields.h"
#include "runs/asyncwork.h"

#include <algorithm>

namespace pw::kfp {

namespace {

using Json = nlohmann::json;

} // namespace

Result<std::vector<Json>> KfpBackend::listAll(const std::string &path, net::Query query, const char *items)
{
    std::vector<Json> out;
    query.emplace_back("page_size", "200");
    std::string token;
    for (int page = 0; page < 1000; ++page) {
        net::Query q = query;
        if (!token.empty())
            q.emplace_back("page_token", token);
        auto reply = m_kfp->call("GET", path, q);
        if (!reply.ok())
            return reply.error();
        for (const Json &item : reply->value(items, Json::array()))
            if (item.is_object())
                out.push_back(item);
        token = text(*reply, "next_page_token");
        if (token.empty())
            break;
    }
    return out;
}

std::string KfpBackend::experimentName(const std::string &version, const std::string &id)
{
    if (id.empty())
        return id;
    std::lock_guard lock(m_experimentsMutex);
    if (auto it = m_experimentNames.find(id); it != m_experimentNames.end())
        return it->second;
    auto all = listAll("/apis/" + version + "beta1/experiments", namespaceQuery(), "experiments");
    if (!all.ok())
        return id; // asked for again next time
    for (const Json &e : *all)
        m_experimentNames[text(e, version == "v2" ? "experiment_id" : "id")] =
            text(e, version == "v2" ? "display_name" : "name");
    // One the list does not have (deleted, or in another namespace) keeps its id, and is not asked for again.
    return m_experimentNames.try_emplace(id, id).first->second;
}

Future<Done> KfpBackend::archiveRun(const std::string &runId)
{
    return callForDone("POST", [runId](const std::string &version) {
        return "/apis/" + version + "beta1/runs/" + net::urlEncode(runId) + ":archive";
    });
}

Future<Done> KfpBackend::archiveExperiment(const std::string &experimentId)
{
    return callForDone("POST", [experimentId](const std::string &version) {
        return "/apis/" + version + "beta1/experiments/" + net::urlEncode(experimentId) + ":archive";
    });
}

Future<std::vector<StoredPipeline>> KfpBackend::listPipelines()
{
    return runAsync<std::vector<StoredPipeline>>(m_pool, [this]() -> Result<std::vector<StoredPipeline>> {
        auto version = api();
        if (!version.ok())
            return version.error();
        const bool v2 = *version == "v2";
        net::Query scope = namespaceQuery();
        if (!v2 && !m_kfp->endpoint().ns.empty())
            scope = {{"resource_reference_key.type", "NAMESPACE"},
                     {"resource_reference_key.id", m_kfp->endpoint().ns}};
        auto pipelines = listAll("/apis/" + *version + "beta1/pipelines", scope, "pipelines");
        if (!pipelines.ok())
            return pipelines.error();
        std::vector<StoredPipeline> out;
        for (const Json &p : *pipelines) {
            StoredPipeline info;
            info.id = text(p, v2 ? "pipeline_id" : "id");
            info.name = text(p, v2 ? "display_name" : "name");
            info.description = text(p, "description");
            info.createdMs = epochMsFromRfc3339(text(p, "created_at"));
            auto versions =
                v2 ? listAll("/apis/v2beta1/pipelines/" + net::urlEncode(info.id) + "/versions", {},
                             "pipeline_versions")
                   : listAll("/apis/v1beta1/pipeline_versions",
                             {{"resource_key.type", "PIPELINE"}, {"resource_key.id", info.id}}, "versions");
            if (!versions.ok())
                return versions.error();
            for (const Json &v : *versions)
                info.versions.push_back({text(v, v2 ? "pipeline_version_id" : "id"),
                                         text(v, v2 ? "display_name" : "name"),
                                         epochMsFromRfc3339(text(v, "created_at"))});
            std::stable_sort(info.versions.begin(), info.versions.end(),
                             [](const StoredPipelineVersion &a, const StoredPipelineVersion &b) {
                                 return a.createdMs > b.createdMs;
                             });
            out.push_back(std::move(info));
        }
        return out;
    });
}

} // namespace pw::kfp
