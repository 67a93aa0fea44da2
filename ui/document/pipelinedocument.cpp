// SPDX-License-Identifier: Apache-2.0
#include "document/pipelinedocument.h"

#include "formats/document.h"
#include "validate/validator.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <iterator>
#include <set>

namespace pw {

namespace {

std::string qs(const QString &s)
{
    return s.toStdString();
}

template <typename Vec>
int indexOfId(const Vec &items, const std::string &id)
{
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].id == id)
            return int(i);
    return -1;
}

bool sameComponent(const Component &a, const Component &b)
{
    return a.kind == Component::Kind::Container && b.kind == Component::Kind::Container && a.name == b.name &&
           a.description == b.description && a.inputs == b.inputs && a.outputs == b.outputs &&
           a.container == b.container && a.annotations == b.annotations && a.labels == b.labels;
}

} // namespace

PipelineDocument::PipelineDocument(QObject *parent) : QObject(parent)
{
    m_pipeline.name = "untitled-pipeline";
    connect(&m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
}

PipelineDocument::~PipelineDocument()
{
    // The stack clears itself on destruction and would report "clean": that
    // must not read as "saved" (it would delete the crash-recovery copy).
    m_undo.blockSignals(true);
}

QString PipelineDocument::title() const
{
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

void PipelineDocument::reset(Pipeline pipeline, const QString &filePath)
{
    m_undo.clear();
    m_pipeline = std::move(pipeline);
    const bool pathChanged = filePath != m_filePath;
    m_filePath = filePath;
    m_undo.setClean();
    emit documentReset();
    emit contentChanged();
    emit modifiedChanged(false);
    if (pathChanged)
        emit filePathChanged(m_filePath);
}

void PipelineDocument::replacePipeline(Pipeline pipeline)
{
    m_pipeline = std::move(pipeline);
    emit documentReset();
    emit contentChanged();
}

void PipelineDocument::markSaved(const QString &filePath)
{
    m_pipeline.fileName = qs(filePath);
    m_undo.setClean();
    if (filePath != m_filePath) {
        m_filePath = filePath;
        emit filePathChanged(m_filePath);
    }
}

void PipelineDocument::rebaseComponentPaths(const QString &from, const QString &to)
{
    const QDir fromDir(from), toDir(to);
    for (auto &[id, c] : m_pipeline.components) {
        if (c.source.kind != ComponentSource::Kind::Path || QDir::isAbsolutePath(QString::fromStdString(c.source.location)))
            continue;
        const QString abs = QDir::cleanPath(fromDir.absoluteFilePath(QString::fromStdString(c.source.location)));
        c.source.location = toDir.relativeFilePath(abs).toStdString();
    }
}

std::string PipelineDocument::text() const
{
    return writeDocument(m_pipeline);
}

const Task *PipelineDocument::task(const QString &id) const
{
    return m_pipeline.root.task(qs(id));
}

const Group *PipelineDocument::group(const QString &id) const
{
    return m_pipeline.root.group(qs(id));
}

const Component *PipelineDocument::componentOf(const QString &taskId) const
{
    const Task *t = task(taskId);
    return t ? m_pipeline.component(t->component) : nullptr;
}

int PipelineDocument::taskIndex(const QString &id) const
{
    return indexOfId(m_pipeline.root.tasks, qs(id));
}

int PipelineDocument::groupIndex(const QString &id) const
{
    return indexOfId(m_pipeline.root.groups, qs(id));
}

std::optional<Layout::Point> PipelineDocument::taskPosition(const QString &id) const
{
    auto it = m_pipeline.layout.tasks.find(qs(id));
    if (it == m_pipeline.layout.tasks.end())
        return std::nullopt;
    return it->second;
}

std::optional<Layout::Point> PipelineDocument::groupPosition(const QString &id) const
{
    auto it = m_pipeline.layout.groups.find(qs(id));
    if (it == m_pipeline.layout.groups.end())
        return std::nullopt;
    return it->second;
}

std::string PipelineDocument::uniqueTaskId(const std::string &base) const
{
    std::string stem = sanitizeK8sName(base);
    if (stem.empty())
        stem = "task";
    // Group ids share the IR's task namespace, so avoid both.
    auto taken = [&](const std::string &id) { return m_pipeline.root.task(id) || m_pipeline.root.group(id); };
    if (!taken(stem))
        return stem;
    for (int n = 2;; ++n) {
        std::string candidate = stem + "-" + std::to_string(n);
        if (!taken(candidate))
            return candidate;
    }
}

std::string PipelineDocument::uniqueGroupId(const std::string &base) const
{
    return uniqueTaskId(base);
}

std::string PipelineDocument::componentIdFor(const Component &component) const
{
    for (const auto &[id, c] : m_pipeline.components)
        if (sameComponent(c, component))
            return id;
    std::string stem = sanitizeK8sName(component.name);
    if (stem.empty())
        stem = "component";
    if (!m_pipeline.components.count(stem))
        return stem;
    for (int n = 2;; ++n) {
        std::string candidate = stem + "-" + std::to_string(n);
        if (!m_pipeline.components.count(candidate))
            return candidate;
    }
}

void PipelineDocument::beginBatch()
{
    ++m_batch;
}

void PipelineDocument::endBatch()
{
    if (m_batch == 0 || --m_batch > 0)
        return;
    m_endingBatch = true;
    emit documentReset();
    m_endingBatch = false;
    emit infoChanged();
    emit contentChanged();
}

void PipelineDocument::insertTask(int index, Task task, std::optional<Point> position)
{
    auto &tasks = m_pipeline.root.tasks;
    index = std::clamp(index, 0, int(tasks.size()));
    const QString id = QString::fromStdString(task.id);
    if (position)
        m_pipeline.layout.tasks[task.id] = *position;
    tasks.insert(tasks.begin() + index, std::move(task));
    if (m_batch)
        return;
    emit taskAdded(id);
    emit contentChanged();
}

void PipelineDocument::insertTasks(const std::vector<const TaskEntry *> &entries)
{
    auto &tasks = m_pipeline.root.tasks;
    std::vector<Task> merged;
    merged.reserve(tasks.size() + entries.size());
    auto old = tasks.begin();
    for (const TaskEntry *e : entries) {
        while (old != tasks.end() && int(merged.size()) < e->index)
            merged.push_back(std::move(*old++));
        if (e->position)
            m_pipeline.layout.tasks[e->task.id] = *e->position;
        merged.push_back(e->task);
    }
    std::move(old, tasks.end(), std::back_inserter(merged));
    tasks = std::move(merged);
    if (!m_batch)
        for (const TaskEntry *e : entries)
            emit taskAdded(QString::fromStdString(e->task.id));
    if (!m_batch && !entries.empty())
        emit contentChanged();
}

void PipelineDocument::removeTasks(const std::vector<std::string> &ids)
{
    const std::set<std::string> gone(ids.begin(), ids.end());
    std::erase_if(m_pipeline.root.tasks, [&](const Task &t) { return gone.count(t.id) > 0; });
    for (const std::string &id : ids)
        m_pipeline.layout.tasks.erase(id);
    if (!m_batch)
        for (const std::string &id : ids)
            emit taskRemoved(QString::fromStdString(id));
    if (!m_batch && !ids.empty())
        emit contentChanged();
}

void PipelineDocument::removeTask(const QString &id)
{
    const int index = taskIndex(id);
    if (index < 0)
        return;
    auto &tasks = m_pipeline.root.tasks;
    tasks.erase(tasks.begin() + index);
    m_pipeline.layout.tasks.erase(qs(id));
    if (m_batch)
        return;
    emit taskRemoved(id);
    emit contentChanged();
}

void PipelineDocument::replaceTask(const Task &task)
{
    Task *t = m_pipeline.root.task(task.id);
    if (!t || *t == task)
        return;
    *t = task;
    if (m_batch)
        return;
    emit taskChanged(QString::fromStdString(task.id));
    emit contentChanged();
}

void PipelineDocument::setTaskPosition(const QString &id, std::optional<Point> position)
{
    if (position)
        m_pipeline.layout.tasks[qs(id)] = *position;
    else
        m_pipeline.layout.tasks.erase(qs(id));
    if (m_batch)
        return;
    emit taskMoved(id);
    emit contentChanged();
}

void PipelineDocument::insertGroup(int index, Group group, std::optional<Point> position)
{
    auto &groups = m_pipeline.root.groups;
    index = std::clamp(index, 0, int(groups.size()));
    const QString id = QString::fromStdString(group.id);
    if (position)
        m_pipeline.layout.groups[group.id] = *position;
    groups.insert(groups.begin() + index, std::move(group));
    if (m_batch)
        return;
    emit groupAdded(id);
    emit contentChanged();
}

void PipelineDocument::removeGroup(const QString &id)
{
    const int index = groupIndex(id);
    if (index < 0)
        return;
    auto &groups = m_pipeline.root.groups;
    groups.erase(groups.begin() + index);
    m_pipeline.layout.groups.erase(qs(id));
    if (m_batch)
        return;
    emit groupRemoved(id);
    emit contentChanged();
}

void PipelineDocument::replaceGroup(const Group &group)
{
    Group *g = m_pipeline.root.group(group.id);
    if (!g || *g == group)
        return;
    *g = group;
    if (m_batch)
        return;
    emit groupChanged(QString::fromStdString(group.id));
    emit contentChanged();
}

void PipelineDocument::setGroupPosition(const QString &id, std::optional<Point> position)
{
    if (position)
        m_pipeline.layout.groups[qs(id)] = *position;
    else
        m_pipeline.layout.groups.erase(qs(id));
    if (m_batch)
        return;
    emit groupMoved(id);
    emit contentChanged();
}

void PipelineDocument::setComponent(const std::string &id, std::optional<Component> component)
{
    if (component)
        m_pipeline.components[id] = std::move(*component);
    else
        m_pipeline.components.erase(id);
    if (!m_batch)
        emit contentChanged();
}

void PipelineDocument::setOutputValues(std::map<std::string, Binding> outputs)
{
    m_pipeline.root.outputs = std::move(outputs);
    if (m_batch)
        return;
    emit infoChanged();
    emit contentChanged();
}

void PipelineDocument::setInfo(const PipelineInfo &info)
{
    info.applyTo(m_pipeline);
    if (m_batch)
        return;
    emit infoChanged();
    emit contentChanged();
}

} // namespace pw
