// SPDX-License-Identifier: Apache-2.0
#include "pipelinecatalog.h"

#include "formats/pipelineloader.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <set>

namespace pw::serve {

namespace {

constexpr qint64 kMaxFileBytes = 4 * 1024 * 1024;

const char *kindName(InputFormat f)
{
    switch (f) {
    case InputFormat::Document:
        return "document";
    case InputFormat::ComponentV1:
        return "component";
    case InputFormat::PipelineSpec:
        return "pipelinespec";
    case InputFormat::Unknown:
        break;
    }
    return "";
}

} // namespace

std::string pipelineName(const std::string &fileName)
{
    for (const char *suffix : {".pipewright.yaml", ".component.yaml", ".yaml", ".yml"}) {
        const std::string s = suffix;
        if (fileName.size() > s.size() && fileName.compare(fileName.size() - s.size(), s.size(), s) == 0)
            return fileName.substr(0, fileName.size() - s.size());
    }
    return fileName;
}

std::vector<PipelineCatalog::Entry> PipelineCatalog::entries() const
{
    std::vector<Entry> out;
    std::set<std::string> names;
    for (const std::string &dir : m_dirs) {
        const QString root = QFileInfo(QString::fromStdString(dir)).canonicalFilePath();
        if (root.isEmpty())
            continue;
        QDirIterator it(root, {"*.yaml", "*.yml"}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QFileInfo info(it.next());
            const QString real = info.canonicalFilePath();
            if (real.isEmpty() || !real.startsWith(root + '/') || info.size() > kMaxFileBytes)
                continue; // a link that leaves the folder, or not a pipeline-sized file
            QFile file(real);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            const InputFormat format = detectFormat(file.readAll().toStdString());
            if (format == InputFormat::Unknown)
                continue;
            const std::string name = pipelineName(info.fileName().toStdString());
            if (!names.insert(name).second)
                continue; // the first folder given wins
            out.push_back({name, kindName(format), real.toStdString()});
        }
    }
    std::sort(out.begin(), out.end(), [](const Entry &a, const Entry &b) { return a.name < b.name; });
    return out;
}

std::optional<PipelineCatalog::Entry> PipelineCatalog::find(const std::string &name) const
{
    for (Entry &e : entries())
        if (e.name == name)
            return e;
    return std::nullopt;
}

Result<Pipeline> PipelineCatalog::load(const Entry &entry) const
{
    return loadPipelineFile(entry.path);
}

} // namespace pw::serve
