// SPDX-License-Identifier: Apache-2.0
#include "palette/componentlibrary.h"

#include "util/installpaths.h"

#include "formats/componentloader.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>

namespace pw {

namespace {

QString titleCase(QString s)
{
    s.replace('-', ' ').replace('_', ' ');
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

QString ports(const std::vector<PortSpec> &specs)
{
    QStringList items;
    for (const PortSpec &p : specs)
        items << QStringLiteral("%1 <i>(%2)</i>")
                     .arg(QString::fromStdString(p.name).toHtmlEscaped(),
                          QString::fromStdString(p.type.displayName()).toHtmlEscaped());
    return items.isEmpty() ? QObject::tr("none") : items.join(", ");
}

} // namespace

QString ComponentLibrary::resourcesDirectory() { return installedPath(InstallDir::Data); }

QString ComponentLibrary::builtInDirectory()
{
    return resourcesDirectory() + "/components";
}

void ComponentLibrary::reload(const QStringList &userPaths)
{
    m_entries.clear();
    addFolder(builtInDirectory(), QObject::tr("Library"), true);
    for (const QString &path : userPaths) {
        const QFileInfo info(path);
        if (info.isDir())
            addFolder(path, titleCase(info.fileName()), false);
        else
            addFile(path, QObject::tr("User"), false);
    }
    std::stable_sort(m_entries.begin(), m_entries.end(), [](const Entry &a, const Entry &b) {
        return a.category == b.category ? a.name.compare(b.name, Qt::CaseInsensitive) < 0
                                        : a.category.compare(b.category, Qt::CaseInsensitive) < 0;
    });
}

void ComponentLibrary::addFolder(const QString &dir, const QString &fallbackCategory, bool builtIn)
{
    const QDir root(dir);
    QDirIterator it(dir, {"*.yaml", "*.yml"}, QDir::Files, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files << it.next();
    files.sort();
    for (const QString &file : files) {
        // The first folder below the root names the category ("data/x.yaml" -> Data).
        const QString rel = root.relativeFilePath(file);
        const int slash = rel.indexOf('/');
        addFile(file, slash > 0 ? titleCase(rel.left(slash)) : fallbackCategory, builtIn);
    }
}

void ComponentLibrary::addFile(const QString &path, const QString &category, bool builtIn)
{
    Entry e;
    e.category = category;
    e.path = QFileInfo(path).absoluteFilePath();
    e.builtIn = builtIn;
    auto loaded = loadComponentFile(path.toStdString());
    if (loaded.ok()) {
        e.component = std::move(*loaded);
        e.name = QString::fromStdString(e.component.name);
    } else {
        e.error = QString::fromStdString(loaded.error().toString());
    }
    if (e.name.isEmpty())
        e.name = QFileInfo(path).completeBaseName();
    m_entries << e;
}

const ComponentLibrary::Entry *ComponentLibrary::find(const QString &path) const
{
    const QString abs = QFileInfo(path).absoluteFilePath();
    for (const Entry &e : m_entries)
        if (e.path == abs)
            return &e;
    return nullptr;
}

QStringList ComponentLibrary::categories() const
{
    QStringList result;
    for (const Entry &e : m_entries)
        if (!result.contains(e.category))
            result << e.category;
    return result;
}

QString ComponentLibrary::describe(const Entry &entry)
{
    if (!entry.error.isEmpty())
        return QStringLiteral("<b>%1</b><br>%2").arg(entry.name.toHtmlEscaped(), entry.error.toHtmlEscaped());
    const Component &c = entry.component;
    QString text = QStringLiteral("<b>%1</b>").arg(entry.name.toHtmlEscaped());
    if (!c.description.empty())
        text += "<br>" + QString::fromStdString(c.description).toHtmlEscaped();
    text += "<br><b>" + QObject::tr("Inputs") + ":</b> " + ports(c.inputs);
    text += "<br><b>" + QObject::tr("Outputs") + ":</b> " + ports(c.outputs);
    text += "<br><small>" + entry.path.toHtmlEscaped() + "</small>";
    return text;
}

} // namespace pw
