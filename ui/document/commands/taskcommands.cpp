// SPDX-License-Identifier: Apache-2.0
#include "document/commands/taskcommands.h"

#include <QCoreApplication>

#include <set>

namespace pw {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("pw::Commands", text);
}

// Drops references to removed tasks from a binding; true when anything changed.
bool dropReferences(Binding &b, const std::set<std::string> &removed)
{
    if ((b.kind == Binding::Kind::TaskOutput || b.kind == Binding::Kind::TaskStatus) && removed.count(b.task)) {
        b = Binding{};
        return true;
    }
    bool changed = false;
    for (Binding &o : b.options)
        changed = dropReferences(o, removed) || changed;
    return changed;
}

} // namespace

AddTaskCommand::AddTaskCommand(PipelineDocument *doc, const Component &component, Layout::Point position,
                               const std::string &group, QUndoCommand *parent)
    : DocumentEditCommand(doc, tr("Add %1").arg(QString::fromStdString(component.name)), parent)
{
    const std::string componentId = doc->componentIdFor(component);
    if (!doc->pipeline().component(componentId))
        m_edit.addedComponents.emplace_back(componentId, component);
    Task task;
    task.id = doc->uniqueTaskId(component.name);
    task.component = componentId;
    task.group = group;
    m_taskId = QString::fromStdString(task.id);
    m_edit.addedTasks.push_back({int(doc->graph().tasks.size()), std::move(task), position});
}

RemoveItemsCommand::RemoveItemsCommand(PipelineDocument *doc, const QStringList &taskIds, const QStringList &groupIds,
                                       QUndoCommand *parent)
    : DocumentEditCommand(doc, tr("Delete"), parent)
{
    const Pipeline &p = doc->pipeline();
    const Graph &g = p.root;
    std::set<std::string> removedTasks, removedGroups;
    for (const QString &id : taskIds)
        if (g.task(id.toStdString()))
            removedTasks.insert(id.toStdString());
    for (const QString &id : groupIds)
        if (g.group(id.toStdString()))
            removedGroups.insert(id.toStdString());
    setText(removedTasks.size() + removedGroups.size() == 1 ? tr("Delete item")
                                                             : tr("Delete %1 items").arg(removedTasks.size() +
                                                                                          removedGroups.size()));

    // Where members of a removed group go: its nearest surviving ancestor.
    auto survivingParent = [&](std::string group) {
        while (!group.empty() && removedGroups.count(group)) {
            const Group *gr = g.group(group);
            group = gr ? gr->parent : std::string();
        }
        return group;
    };

    for (std::size_t i = 0; i < g.tasks.size(); ++i) {
        const Task &t = g.tasks[i];
        if (removedTasks.count(t.id)) {
            m_edit.removedTasks.push_back({int(i), t, doc->taskPosition(QString::fromStdString(t.id))});
            continue;
        }
        Task after = t;
        bool changed = false;
        for (auto &[name, b] : after.arguments) {
            if (dropReferences(b, removedTasks)) {
                changed = true;
            }
        }
        std::erase_if(after.arguments, [](const auto &kv) { return !kv.second.isSet(); });
        const auto afterCount = after.after.size();
        std::erase_if(after.after, [&](const TaskId &id) { return removedTasks.count(id) > 0; });
        changed = changed || after.after.size() != afterCount;
        const std::string group = survivingParent(after.group);
        if (group != after.group) {
            after.group = group;
            changed = true;
        }
        if (changed)
            m_edit.changeTask(t, after);
    }
    for (std::size_t i = 0; i < g.groups.size(); ++i) {
        const Group &gr = g.groups[i];
        if (removedGroups.count(gr.id)) {
            m_edit.removedGroups.push_back({int(i), gr, doc->groupPosition(QString::fromStdString(gr.id))});
            continue;
        }
        Group after = gr;
        after.parent = survivingParent(gr.parent);
        if (removedTasks.count(after.exitTask))
            after.exitTask.clear();
        if (after.condition) {
            dropReferences(after.condition->lhs, removedTasks);
            dropReferences(after.condition->rhs, removedTasks);
        }
        dropReferences(after.loop.items, removedTasks);
        if (!(after == gr))
            m_edit.changeGroup(gr, after);
    }
    auto outputs = g.outputs;
    bool outputsChanged = false;
    for (auto &[name, b] : outputs)
        outputsChanged = dropReferences(b, removedTasks) || outputsChanged;
    if (outputsChanged) {
        std::erase_if(outputs, [](const auto &kv) { return !kv.second.isSet(); });
        m_edit.outputValues.emplace(g.outputs, outputs);
    }

    // Components that only removed tasks used (sub-pipelines keep theirs).
    std::set<std::string> used;
    for (const Task &t : g.tasks)
        if (!removedTasks.count(t.id))
            used.insert(t.component);
    for (const auto &[id, c] : p.components) {
        if (c.graph)
            for (const Task &t : c.graph->tasks)
                used.insert(t.component);
    }
    for (const std::string &id : removedTasks) {
        const std::string &component = g.task(id)->component;
        if (!used.count(component) && p.component(component)) {
            bool already = false;
            for (const auto &[cid, c] : m_edit.removedComponents)
                already = already || cid == component;
            if (!already)
                m_edit.removedComponents.emplace_back(component, *p.component(component));
        }
    }
}

} // namespace pw
