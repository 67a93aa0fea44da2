// SPDX-License-Identifier: Apache-2.0
#include "validate/rules.h"
#include "validate/validationcontext.h"
#include "validate/validator.h"

#include <set>

namespace pw {

namespace {

// KFP may carry a pipeline-parameter placeholder where a literal usually sits;
// its value is only known at run time.
bool isPlaceholder(std::string_view s)
{
    return s.find("{{") != std::string_view::npos;
}

void checkQuantityPair(ValidationContext &ctx, const std::string &what, const std::string &request,
                       const std::string &limit, const std::string &key, const std::string &task,
                       bool isMemory)
{
    std::optional<long double> values[2];
    const std::string *texts[2] = {&request, &limit};
    const char *names[2] = {"request", "limit"};
    for (int i = 0; i < 2; ++i) {
        const std::string &text = *texts[i];
        if (text.empty() || isPlaceholder(text))
            continue;
        const Location where = ctx.locate(key + "." + names[i], task);
        values[i] = parseQuantity(text);
        if (!values[i]) {
            ctx.error(what + " " + names[i] + " '" + text + "' is not a Kubernetes quantity (for example " +
                          (isMemory ? "512Mi, 4Gi or 1e9" : "500m, 2 or 1.5") + ")",
                      where);
            continue;
        }
        if (*values[i] < 0) {
            ctx.error(what + " " + names[i] + " '" + text + "' is negative", where);
            values[i].reset();
            continue;
        }
        // "m" is milli: 500m of memory is half a byte, never what was meant.
        if (isMemory && text.back() == 'm')
            ctx.warning(what + " " + names[i] + " '" + text + "' means " + text.substr(0, text.size() - 1) +
                            " thousandths of a byte; did you mean '" + text.substr(0, text.size() - 1) +
                            "Mi'?",
                        where);
    }
    if (values[0] && values[1] && *values[1] < *values[0])
        ctx.error(what + " limit '" + limit + "' is below its request '" + request +
                      "'; raise the limit or lower the request",
                  ctx.locate(key + ".limit", task));
}

bool isPositiveInteger(std::string_view s)
{
    if (s.empty() || s.size() > 9)
        return false;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
    }
    return s.find_first_not_of('0') != std::string_view::npos;
}

void checkObjectRefs(ValidationContext &ctx, const std::vector<ObjectRef> &refs, const std::string &key,
                     const std::string &task, const char *kind)
{
    for (const ObjectRef &ref : refs) {
        const Location where = ctx.locate(key, task);
        std::string label = "a " + std::string(kind);
        if (ref.name.kind == Binding::Kind::Constant) {
            const std::string name =
                ref.name.value.is_string() ? ref.name.value.get<std::string>() : std::string();
            label = std::string(kind) + " '" + name + "'";
            if (name.empty())
                ctx.error("Task '" + task + "' uses " + std::string(kind) + " without a name", where);
            else if (!isValidDnsSubdomain(name))
                ctx.error(
                    "Task '" + task + "' uses " + label +
                        ", which is not a valid Kubernetes name (lower-case letters, digits, '-' and '.')",
                    where);
        } else if (!ref.name.isSet()) {
            ctx.error("Task '" + task + "' uses " + std::string(kind) + " without a name", where);
        }
        if (ref.keyToEnv.empty() && ref.mountPath.empty())
            ctx.error("Task '" + task + "' references " + label +
                          " but neither maps keys to environment variables nor mounts it; set keyToEnv or "
                          "mountPath",
                      where);
        if (!ref.mountPath.empty() && ref.mountPath.front() != '/')
            ctx.error("Task '" + task + "' mounts " + label + " at '" + ref.mountPath +
                          "'; mount paths must be absolute",
                      where);
        for (const KeyToEnv &k : ref.keyToEnv) {
            if (k.key.empty() || k.envVar.empty())
                ctx.error("Task '" + task + "' maps " + label + " with an empty key or variable name", where);
        }
    }
}

} // namespace

void checkTolerations(ValidationContext &ctx, const std::vector<Toleration> &tolerations,
                      const std::string &key, const std::string &task, const std::string &owner)
{
    static const std::set<std::string> effects = {"", "NoSchedule", "PreferNoSchedule", "NoExecute"};
    for (std::size_t i = 0; i < tolerations.size(); ++i) {
        const Toleration &t = tolerations[i];
        const Location where = ctx.locate(key, task);
        const std::string which = owner + " toleration " + std::to_string(i + 1) +
                                  (t.key.empty() ? std::string() : " ('" + t.key + "')");
        if (!t.op.empty() && t.op != "Equal" && t.op != "Exists") {
            ctx.error(which + " has operator '" + t.op + "'; use Equal or Exists", where);
            continue;
        }
        if (t.op == "Exists" && !t.value.empty())
            ctx.error(which + " uses operator Exists with value '" + t.value +
                          "'; Exists matches any value, so drop the value or use Equal",
                      where);
        if (t.key.empty() && t.op != "Exists")
            ctx.error(which + " has no key; an empty key only works with operator Exists", where);
        if (!effects.count(t.effect))
            ctx.error(which + " has effect '" + t.effect + "'; use NoSchedule, PreferNoSchedule or NoExecute",
                      where);
        if (t.tolerationSeconds && t.effect != "NoExecute")
            ctx.warning(which +
                            " sets tolerationSeconds, which Kubernetes only honours with effect NoExecute",
                        where);
    }
}

void checkLabelMap(ValidationContext &ctx, const std::map<std::string, std::string> &labels,
                   const std::string &key, const std::string &task, const std::string &what, bool checkValues)
{
    for (const auto &[k, v] : labels) {
        if (!isValidLabelKey(k))
            ctx.error(what + " key '" + k +
                          "' is not a valid Kubernetes label key ([prefix/]name; name up to 63 characters of "
                          "[A-Za-z0-9-_.], starting and ending with a letter or digit)",
                      ctx.locate(key + "." + k, task));
        else if (checkValues && !isValidLabelValue(v) && !isPlaceholder(v))
            ctx.error(what + " value '" + v + "' for '" + k +
                          "' is not a valid Kubernetes label value (up to 63 characters of [A-Za-z0-9-_.])",
                      ctx.locate(key + "." + k, task));
    }
}

void checkTaskSettings(ValidationContext &ctx, const GraphScope &scope, const Task &task)
{
    const ExecutionSettings &s = task.settings;
    const std::string key = scope.keyPrefix + "tasks." + task.id;
    const std::string who = "Task '" + task.id + "'";
    const Resources &r = s.resources;
    checkQuantityPair(ctx, who + " CPU", r.cpuRequest, r.cpuLimit, key + ".resources.cpu", task.id, false);
    checkQuantityPair(ctx, who + " memory", r.memoryRequest, r.memoryLimit, key + ".resources.memory",
                      task.id, true);
    if (!r.acceleratorCount.empty() && !isPlaceholder(r.acceleratorCount) &&
        !isPositiveInteger(r.acceleratorCount))
        ctx.error(who + " asks for '" + r.acceleratorCount +
                      "' accelerators; use a whole number of at least 1",
                  ctx.locate(key + ".resources.accelerator", task.id));
    if (!r.acceleratorCount.empty() && r.acceleratorType.empty())
        ctx.error(who + " asks for accelerators without a type; set accelerator.type (e.g. nvidia.com/gpu)",
                  ctx.locate(key + ".resources.accelerator", task.id));

    checkTolerations(ctx, s.tolerations, key + ".tolerations", task.id, who);
    checkLabelMap(ctx, s.nodeSelector, key + ".nodeSelector", task.id, who + " node selector", true);
    checkLabelMap(ctx, s.podLabels, key + ".podLabels", task.id, who + " pod label", true);
    checkLabelMap(ctx, s.podAnnotations, key + ".podAnnotations", task.id, who + " pod annotation", false);

    std::set<std::string> envNames;
    auto checkEnvName = [&](const std::string &name) {
        if (name.empty() || name.find('=') != std::string::npos)
            ctx.error(who + " has environment variable '" + name +
                          "'; names must be non-empty and without '='",
                      ctx.locate(key + ".env", task.id));
        else if (!envNames.insert(name).second)
            ctx.warning(who + " sets environment variable '" + name +
                            "' more than once; only the last one counts",
                        ctx.locate(key + ".env", task.id));
    };
    for (const EnvVar &e : s.env)
        checkEnvName(e.name);
    for (const FieldPathEnv &e : s.fieldPathEnv)
        checkEnvName(e.name);
    for (const std::vector<ObjectRef> *refs : {&s.secrets, &s.configMaps}) {
        for (const ObjectRef &ref : *refs) {
            for (const KeyToEnv &k : ref.keyToEnv)
                if (!k.envVar.empty())
                    checkEnvName(k.envVar);
        }
    }
    checkObjectRefs(ctx, s.secrets, key + ".secrets", task.id, "secret");
    checkObjectRefs(ctx, s.configMaps, key + ".configMaps", task.id, "config map");

    for (const PvcMount &m : s.volumes) {
        const Location where = ctx.locate(key + ".volumes", task.id);
        if (m.mountPath.empty() || m.mountPath.front() != '/')
            ctx.error(who + " mounts a volume at '" + m.mountPath + "'; mount paths must be absolute", where);
        if (m.claimName.kind == Binding::Kind::Constant &&
            (!m.claimName.value.is_string() || !isValidDnsSubdomain(m.claimName.value.get<std::string>())))
            ctx.error(who + " mounts PVC " + m.claimName.value.dump() + ", which is not a valid claim name",
                      where);
        else if (!m.claimName.isSet())
            ctx.error(who + " mounts a volume without a claim name", where);
    }

    const RetryPolicy &retry = s.retry;
    const Location retryAt = ctx.locate(key + ".retry", task.id);
    if (retry.maxRetries < 0)
        ctx.error(who + " retries a negative number of times", retryAt);
    for (const std::string *d : {&retry.backoffDuration, &retry.backoffMaxDuration}) {
        if (!d->empty() && !isPlaceholder(*d) && !parseDurationSeconds(*d))
            ctx.error(who + " has retry backoff '" + *d + "'; write a duration such as 30s, 5m or 1h",
                      retryAt);
    }
    if (retry.backoffFactor && *retry.backoffFactor <= 0)
        ctx.error(who + " has a retry backoff factor of " + std::to_string(*retry.backoffFactor) +
                      "; use a positive number (2 doubles each wait)",
                  retryAt);
    if (s.timeoutSeconds < 0)
        ctx.error(who + " has a negative timeout", ctx.locate(key + ".timeout", task.id));
}

} // namespace pw
