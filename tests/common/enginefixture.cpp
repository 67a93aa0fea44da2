// SPDX-License-Identifier: Apache-2.0
#include "enginefixture.h"

#include "compiler/lower.h"
#include "compiler/parametervalues.h"
#include "formats/pipelineloader.h"

#include <QFile>

namespace pw::test {

EngineFixture::EngineFixture()
{
    qputenv("XDG_DATA_HOME", m_dir.path().toUtf8());
    auto store = RunStore::open(dataDir().toStdString() + "/pipewright");
    if (store.ok())
        m_store = std::move(store).value();
}

Result<ir::PipelineSpec> EngineFixture::compile(const QString &file, const std::map<std::string, std::string> &params)
{
    auto pipeline = loadPipelineFile(file.toStdString());
    if (!pipeline.ok())
        return pipeline.error();
    if (auto applied = applyParameterValues(*pipeline, params); !applied.ok())
        return applied.error();
    return lowerPipeline(*pipeline);
}

Result<RunGraph> EngineFixture::run(const QString &file, const std::map<std::string, std::string> &params,
                                    EngineOptions options)
{
    auto spec = compile(file, params);
    if (!spec.ok())
        return spec.error();
    return run(*spec, std::move(options));
}

Result<RunGraph> EngineFixture::run(const ir::PipelineSpec &spec, EngineOptions options)
{
    if (options.workDir.empty())
        options.workDir = m_dir.path().toStdString();
    Engine engine(*m_store);
    auto id = engine.create(spec, options);
    if (!id.ok())
        return id.error();
    auto state = engine.execute();
    if (!state.ok())
        return state.error();
    return m_store->loadRun(*id);
}

QString readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

} // namespace pw::test
