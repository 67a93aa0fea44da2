// SPDX-License-Identifier: Apache-2.0
// Container and importer templates of the Argo target.
#include "targets/argobuilder.h"

#include "ir/kfpargument.h"
#include "targets/argoexpressions.h"

namespace pw::argo {

namespace {

Error fail(std::string message)
{
    return Error{std::move(message), {}};
}

std::string outputPath(const std::string &name)
{
    return kOutputsRoot + parameterName(name) + "/data";
}
std::string inputPath(const std::string &name)
{
    return kInputsRoot + parameterName(name) + "/data";
}

// The one image the importer step needs: a shell that can test a file.
constexpr const char *kImporterImage = "busybox:1.36";

// Writes the KFP executor's output parameters (kept in the executor output
// file) to the per-parameter files Argo reads. Double quotes only: the
// snippet sits inside a single-quoted shell string.
constexpr const char *kCopyExecutorOutputs = R"(import json, os
p = "/tmp/kfp_outputs/output_metadata.json"
d = json.load(open(p)) if os.path.exists(p) else {}
for k, v in d.get("parameterValues", {}).items():
    f = "/tmp/outputs/" + k + "/data"
    os.makedirs(os.path.dirname(f), exist_ok=True)
    open(f, "w").write(v if isinstance(v, str) else json.dumps(v))
)";

bool usesExecutorInput(const ir::ContainerExecutor &c)
{
    static const std::string executorInput =
        ir::KfpPlaceholder::of(ir::KfpPlaceholder::Kind::ExecutorInput).toString();
    for (const auto *list : {&c.command, &c.args})
        for (const std::string &item : *list)
            if (item.find(executorInput) != std::string::npos)
                return true;
    return false;
}

std::string shellQuote(const std::string &text)
{
    return "'" + text + "'";
}

} // namespace

Result<std::string> ArgoBuilder::renderPlaceholder(const ir::KfpPlaceholder &ph,
                                                   const ContainerUse &use) const
{
    using Kind = ir::KfpPlaceholder::Kind;
    using Field = ir::KfpPlaceholder::Field;
    const ir::ComponentSpec &comp = *use.component;
    const std::string &name = ph.name.value;
    switch (ph.kind) {
    case Kind::ExecutorInput:
        return executorInputJson(use);
    case Kind::InputParameter:
        if (!use.declared.params.count(name))
            return fail("executor '" + use.executorLabel + "' uses input '" + name + "', which task '" +
                        use.taskName + "' does not pass and which has no default");
        return paramTag(name);
    case Kind::InputArtifact:
        if (ph.field == Field::None)
            break;
        if (!use.declared.artifacts.count(name))
            return fail("executor '" + use.executorLabel + "' uses input artifact '" + name +
                        "', which task '" + use.taskName + "' does not pass");
        // Argo artifacts are files in the pod, so the URI is the local path;
        // they carry no metadata: an empty object, and no value for any key
        // (KFP 1.8 compiled such components for Argo too).
        if (ph.field == Field::MetadataKey)
            return std::string();
        return ph.field == Field::Metadata ? std::string("{}") : inputPath(name);
    case Kind::OutputParameter:
        if (!comp.outputDefinitions.parameters.count(name))
            return fail("executor '" + use.executorLabel + "' writes unknown output parameter '" + name +
                        "'");
        return outputPath(name);
    case Kind::OutputArtifact:
        if (!comp.outputDefinitions.artifacts.count(name))
            return fail("executor '" + use.executorLabel + "' writes unknown output artifact '" + name + "'");
        return ph.field == Field::Metadata ? std::string("{}") : outputPath(name);
    case Kind::TaskUuid:
        return std::string("{{pod.name}}");
    default:
        if (auto run = renderRunPlaceholder(ph, use.taskName))
            return *run;
        break;
    }
    return fail("unsupported placeholder " + ph.toString());
}

Result<std::string> ArgoBuilder::renderContainerText(const std::string &text, const ContainerUse &use) const
{
    return renderPlaceholders(text, [&](const ir::KfpPlaceholder &ph) { return renderPlaceholder(ph, use); });
}

Result<std::vector<std::string>> ArgoBuilder::renderArgument(const ir::KfpArgument &item,
                                                             const ContainerUse &use) const
{
    switch (item.kind) {
    case ir::KfpArgument::Kind::Text: {
        auto rendered = renderSegments(
            item.segments, [&](const ir::KfpPlaceholder &ph) { return renderPlaceholder(ph, use); });
        if (!rendered)
            return rendered.error();
        return std::vector<std::string>{*rendered};
    }
    case ir::KfpArgument::Kind::Concat: {
        std::string joined;
        for (const ir::KfpArgument &part : item.items) {
            auto pieces = renderArgument(part, use);
            if (!pieces)
                return pieces;
            for (const std::string &piece : *pieces)
                joined += piece;
        }
        return std::vector<std::string>{joined};
    }
    case ir::KfpArgument::Kind::IfPresent:
        break;
    }
    // Each IR task has its own executor use, so presence is known here.
    const bool present =
        use.declared.params.count(item.inputName) || use.declared.artifacts.count(item.inputName);
    const ir::KfpArgument::Branch *branch = item.branchFor(present);
    std::vector<std::string> out;
    if (!branch)
        return out;
    for (const ir::KfpArgument &part : branch->items) {
        auto pieces = renderArgument(part, use);
        if (!pieces)
            return pieces;
        out.insert(out.end(), pieces->begin(), pieces->end());
    }
    return out;
}

const Result<ir::KfpArgument> &ArgoBuilder::parsedItem(const std::string &text) const
{
    auto it = m_parsedItems.find(text);
    if (it == m_parsedItems.end())
        it = m_parsedItems.emplace(text, ir::KfpArgument::parse(text)).first;
    return it->second;
}

Result<std::vector<std::string>> ArgoBuilder::renderCommandLine(const std::vector<std::string> &items,
                                                                const ContainerUse &use) const
{
    std::vector<std::string> out;
    for (const std::string &item : items) {
        const Result<ir::KfpArgument> &parsed = parsedItem(item);
        if (!parsed)
            return parsed.error();
        auto pieces = renderArgument(*parsed, use);
        if (!pieces)
            return pieces;
        out.insert(out.end(), pieces->begin(), pieces->end());
    }
    return out;
}

std::string ArgoBuilder::executorInputJson(const ContainerUse &use) const
{
    const ir::ComponentSpec &comp = *use.component;
    auto marker = [](const std::string &name) { return "@@PIPEWRIGHT_PARAM:" + name + "@@"; };
    auto artifact = [](const std::string &name, const std::string &uri, const ir::ArtifactTypeSchema &type) {
        Json schema = {{"schemaTitle", type.schemaTitle}};
        if (!type.schemaVersion.empty())
            schema["schemaVersion"] = type.schemaVersion;
        return Json{
            {"artifacts",
             Json::array({{{"name", name}, {"uri", uri}, {"metadata", Json::object()}, {"type", schema}}})}};
    };

    Json input;
    Json values = Json::object();
    for (const std::string &name : use.declared.params)
        values[name] = marker(name);
    input["inputs"]["parameterValues"] = values;
    Json inArtifacts = Json::object();
    for (const std::string &name : use.declared.artifacts) {
        auto it = comp.inputDefinitions.artifacts.find(name);
        const ir::ArtifactTypeSchema type = it == comp.inputDefinitions.artifacts.end()
                                                ? ir::ArtifactTypeSchema{"system.Artifact", ""}
                                                : it->second.artifactType;
        inArtifacts[name] = artifact(name, inputPath(name), type);
    }
    if (!inArtifacts.empty())
        input["inputs"]["artifacts"] = std::move(inArtifacts);
    Json outParams = Json::object();
    for (const auto &[name, spec] : comp.outputDefinitions.parameters) {
        (void)spec;
        outParams[name] = {{"outputFile", outputPath(name)}};
    }
    if (!outParams.empty())
        input["outputs"]["parameters"] = std::move(outParams);
    Json outArtifacts = Json::object();
    for (const auto &[name, spec] : comp.outputDefinitions.artifacts)
        outArtifacts[name] = artifact(name, outputPath(name), spec.artifactType);
    if (!outArtifacts.empty())
        input["outputs"]["artifacts"] = std::move(outArtifacts);
    input["outputs"]["outputFile"] = kExecutorOutputFile;

    std::string text = input.dump();
    for (const std::string &name : use.declared.params) {
        const std::string quotedMarker = Json(marker(name)).dump();
        auto type = use.paramTypes.find(name);
        const bool isString =
            type == use.paramTypes.end() || type->second == "STRING" || type->second.empty();
        // Strings go through toJson so quotes and newlines in values keep the JSON valid.
        const std::string value = isString ? "{{=toJson(" + paramVar(name) + ")}}" : paramTag(name);
        for (size_t pos = text.find(quotedMarker); pos != std::string::npos;
             pos = text.find(quotedMarker, pos + value.size()))
            text.replace(pos, quotedMarker.size(), value);
    }
    return text;
}

Result<std::string> ArgoBuilder::containerTemplate(const ContainerUse &use)
{
    const ir::ContainerExecutor &exec = *m_spec.executors.at(use.executorLabel).container;
    const ir::ComponentSpec &comp = *use.component;
    Json t;

    Json params = Json::array();
    for (const std::string &name : use.declared.params) {
        Json p = {{"name", parameterName(name)}};
        auto it = comp.inputDefinitions.parameters.find(name);
        if (it != comp.inputDefinitions.parameters.end() && it->second.defaultValue)
            p["default"] = encodeParameterValue(*it->second.defaultValue, it->second.parameterType);
        params.push_back(std::move(p));
    }
    for (const auto &[input, argument] : use.k8s.arguments()) {
        (void)argument;
        params.push_back({{"name", input}});
    }
    Json inArtifacts = Json::array();
    for (const std::string &name : use.declared.artifacts)
        inArtifacts.push_back({{"name", parameterName(name)}, {"path", inputPath(name)}});
    if (!params.empty())
        t["inputs"]["parameters"] = std::move(params);
    if (!inArtifacts.empty())
        t["inputs"]["artifacts"] = std::move(inArtifacts);

    // KFP v1 shape: every output parameter is also kept as an artifact.
    Json outParams = Json::array(), outArtifacts = Json::array();
    std::vector<std::string> outputDirs;
    for (const auto &[name, spec] : comp.outputDefinitions.parameters) {
        (void)spec;
        outParams.push_back({{"name", parameterName(name)}, {"valueFrom", {{"path", outputPath(name)}}}});
        outArtifacts.push_back({{"name", parameterName(name)}, {"path", outputPath(name)}});
        outputDirs.push_back(kOutputsRoot + parameterName(name));
    }
    for (const auto &[name, spec] : comp.outputDefinitions.artifacts) {
        (void)spec;
        outArtifacts.push_back({{"name", parameterName(name)}, {"path", outputPath(name)}});
        outputDirs.push_back(kOutputsRoot + parameterName(name));
    }
    if (!outParams.empty())
        t["outputs"]["parameters"] = std::move(outParams);
    if (!outArtifacts.empty())
        t["outputs"]["artifacts"] = std::move(outArtifacts);

    auto image = renderContainerText(exec.image, use);
    if (!image)
        return image.error();
    auto command = renderCommandLine(exec.command, use);
    if (!command)
        return command.error();
    auto args = renderCommandLine(exec.args, use);
    if (!args)
        return args.error();

    // KFP's launcher creates output directories and copies the executor's
    // output parameters into files; plain Argo does neither, so a short
    // shell prologue does it. Without a command the image entrypoint is
    // unknown and cannot be wrapped.
    std::vector<std::string> finalCommand = std::move(command.value());
    const bool executorInput = usesExecutorInput(exec);
    if (!finalCommand.empty() && (!outputDirs.empty() || executorInput)) {
        std::string script = "mkdir -p";
        for (const std::string &dir : outputDirs)
            script += " " + shellQuote(dir);
        if (executorInput)
            script += " /tmp/kfp_outputs";
        if (executorInput && !comp.outputDefinitions.parameters.empty()) {
            script += "\n\"$@\"\nrc=$?\nif [ \"$rc\" -eq 0 ]; then\n  python3 -c " +
                      shellQuote(kCopyExecutorOutputs) + " || rc=$?\nfi\nexit \"$rc\"\n";
        } else {
            script += "\nexec \"$@\"\n";
        }
        std::vector<std::string> wrapped = {"sh", "-c", script, "pipewright-launcher"};
        wrapped.insert(wrapped.end(), finalCommand.begin(), finalCommand.end());
        finalCommand = std::move(wrapped);
    }

    Json &c = t["container"];
    c["image"] = *image;
    if (!finalCommand.empty())
        c["command"] = finalCommand;
    if (!args->empty())
        c["args"] = *args;
    Json env = Json::array();
    for (const auto &[name, value] : exec.env) {
        auto rendered = renderContainerText(value, use);
        if (!rendered)
            return rendered.error();
        env.push_back({{"name", name}, {"value", *rendered}});
    }
    if (!env.empty())
        c["env"] = std::move(env);

    PodPatch patch;
    if (auto error = applyResources(t, patch, use))
        return *error;
    if (auto error = applyPlatform(t, patch, use))
        return *error;
    if (use.task->retryPolicy && use.task->retryPolicy->maxRetryCount > 0) {
        auto retry = retryStrategy(*use.task->retryPolicy);
        if (!retry)
            return retry.error();
        t["retryStrategy"] = std::move(retry.value());
    }
    if (cachingDisabled(*use.task)) {
        // What the KFP v1 cache webhook reads: a zero staleness never reuses a result.
        t["metadata"]["annotations"]["pipelines.kubeflow.org/max_cache_staleness"] = "P0D";
        t["metadata"]["labels"]["pipelines.kubeflow.org/enable_caching"] = "false";
    }
    const std::string patchText = patch.text();
    if (!patchText.empty())
        t["podSpecPatch"] = patchText;
    return addTemplate(stripPrefix(use.executorLabel, "exec-"), std::move(t));
}

Result<std::string> ArgoBuilder::importerTemplate(const ContainerUse &use,
                                                  const ir::ImporterExecutor &importer)
{
    const ir::ComponentSpec &comp = *use.component;
    if (comp.outputDefinitions.artifacts.size() != 1)
        return fail("importer '" + use.executorLabel + "' must have exactly one output artifact");
    const std::string output = comp.outputDefinitions.artifacts.begin()->first;

    // The importer becomes a step whose input artifact is fetched by Argo
    // from the URI and handed on unchanged as its output artifact. The
    // source kind (gcs, s3, http) must be known when compiling; a URI from
    // a parameter is split into bucket and key at run time.
    std::string uri, uriVar;
    if (importer.artifactUriConstant) {
        if (!importer.artifactUriConstant->is_string())
            return fail("importer '" + use.executorLabel + "' has a non-string artifact URI");
        uri = importer.artifactUriConstant->get<std::string>();
    } else if (!importer.artifactUriRuntimeParameter.empty()) {
        const std::string &param = importer.artifactUriRuntimeParameter;
        if (!use.declared.params.count(param))
            return fail("importer '" + use.executorLabel + "' reads its URI from input '" + param +
                        "', which task '" + use.taskName + "' does not pass");
        if (auto known = use.declared.known.find(param); known != use.declared.known.end())
            uri = known->second;
        uriVar = paramVar(param);
    } else {
        return fail("importer '" + use.executorLabel + "' has no artifact URI");
    }

    auto scheme = uri.substr(0, uri.find("://") == std::string::npos ? 0 : uri.find("://"));
    if (scheme.empty())
        return fail("importer '" + use.executorLabel + "' of task '" + use.taskName +
                    "': cannot tell the URI scheme at compile time (" +
                    (uri.empty() ? "no default value" : uri) +
                    "); Argo needs to know whether the artifact is in gcs, s3 or http");
    Json source;
    auto bucketAndKey = [&](const std::string &prefix) {
        if (uriVar.empty()) {
            const std::string rest = uri.substr(prefix.size());
            const size_t slash = rest.find('/');
            return Json{{"bucket", rest.substr(0, slash)},
                        {"key", slash == std::string::npos ? std::string() : rest.substr(slash + 1)}};
        }
        const std::string re = "^[a-z0-9]+://([^/]+)/(.*)$";
        return Json{{"bucket", "{{=sprig.regexReplaceAll(" + exprString(re) + ", " + uriVar + ", '$1')}}"},
                    {"key", "{{=sprig.regexReplaceAll(" + exprString(re) + ", " + uriVar + ", '$2')}}"}};
    };
    if (scheme == "gs")
        source["gcs"] = bucketAndKey("gs://");
    else if (scheme == "s3" || scheme == "minio")
        source["s3"] = bucketAndKey(scheme + "://");
    else if (scheme == "http" || scheme == "https")
        source["http"]["url"] = uriVar.empty() ? uri : paramTag(importer.artifactUriRuntimeParameter);
    else
        return fail("importer '" + use.executorLabel + "': URI scheme '" + scheme +
                    "' has no Argo artifact source (gs, s3, minio, http and https do)");

    Json t;
    Json params = Json::array();
    for (const std::string &name : use.declared.params)
        params.push_back({{"name", parameterName(name)}});
    if (!params.empty())
        t["inputs"]["parameters"] = std::move(params);
    Json in = {{"name", parameterName(output)}, {"path", outputPath(output)}};
    in.update(source);
    t["inputs"]["artifacts"] = Json::array({in});
    t["outputs"]["artifacts"] =
        Json::array({{{"name", parameterName(output)}, {"path", outputPath(output)}}});
    t["container"]["image"] = kImporterImage;
    t["container"]["command"] = {"sh", "-c", "test -e \"$0\"", outputPath(output)};
    if (cachingDisabled(*use.task)) {
        t["metadata"]["annotations"]["pipelines.kubeflow.org/max_cache_staleness"] = "P0D";
        t["metadata"]["labels"]["pipelines.kubeflow.org/enable_caching"] = "false";
    }
    return addTemplate(stripPrefix(use.executorLabel, "exec-"), std::move(t));
}

} // namespace pw::argo
