// SPDX-License-Identifier: Apache-2.0
#include "kfproundtrip.h"

#include "compiler/lower.h"
#include "compiler/raise.h"
#include "ir/pipelinespecio.h"
#include "kfpcompare.h"
#include "util/yamljson.h"

namespace pw::test {

std::vector<std::string> importAndLowerDiffs(const QString &path)
{
    const std::string file = path.toStdString();
    auto text = readTextFile(file);
    if (!text.ok())
        return {"read: " + text.error().toString()};
    auto spec = ir::readPipelineSpec(*text, file);
    if (!spec.ok())
        return {"read: " + spec.error().toString()};
    auto model = raisePipelineSpec(*spec, file);
    if (!model.ok())
        return {"import: " + model.error().toString()};
    LowerOptions options;
    options.sdkVersion = spec->sdkVersion;
    auto lowered = lowerPipeline(*model, options);
    if (!lowered.ok())
        return {"compile: " + lowered.error().toString()};
    nlohmann::json actual = nlohmann::json::array({ir::pipelineSpecToJson(*lowered)});
    if (auto platform = ir::platformSpecToJson(*lowered); !platform.is_null())
        actual.push_back(platform);
    return kfpDiff(loadYamlDocsAsJson(path), actual);
}

} // namespace pw::test
