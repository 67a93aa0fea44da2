// SPDX-License-Identifier: Apache-2.0
#include "engine/cachekey.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>

namespace pw {

namespace {

void hashPath(QCryptographicHash &h, const QString &path)
{
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) {
        h.addData(&f);
        return;
    }
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files << it.next();
    files.sort();
    for (const QString &file : files) {
        h.addData(file.mid(path.size()).toUtf8());
        QFile part(file);
        if (part.open(QIODevice::ReadOnly))
            h.addData(&part);
    }
}

} // namespace

std::string cacheKey(const ir::ComponentSpec &component, const ir::ContainerExecutor &container,
                     const TaskContext &inputs)
{
    nlohmann::json spec = {{"image", container.image}, {"command", container.command}, {"args", container.args}};
    for (const auto &[k, v] : container.env)
        spec["env"][k] = v;
    for (const auto *defs : {&component.inputDefinitions, &component.outputDefinitions}) {
        nlohmann::json &side = spec[defs == &component.inputDefinitions ? "inputs" : "outputs"];
        for (const auto &[name, p] : defs->parameters)
            side[name] = p.parameterType;
        for (const auto &[name, a] : defs->artifacts)
            side[name] = a.artifactType.schemaTitle + (a.isArtifactList ? "[]" : "");
    }
    spec["parameters"] = inputs.parameters;

    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(QByteArray::fromStdString(spec.dump()));
    for (const auto &[name, list] : inputs.artifacts) {
        h.addData(QByteArray::fromStdString("\nartifact " + name));
        for (const ArtifactValue &a : list) {
            h.addData(QByteArray::fromStdString(a.schemaTitle + " " + a.metadata.dump()));
            hashPath(h, QString::fromStdString(a.path));
        }
    }
    return h.result().toHex().toStdString();
}

} // namespace pw
