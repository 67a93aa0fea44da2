// SPDX-License-Identifier: Apache-2.0
#include "document/commands/clipboardcommands.h"

#include "formats/document.h"

#include <QCoreApplication>

#include <set>

namespace pw {

const char *const kFragmentMimeType = "application/x-pipewright-fragment";

namespace {

void remap(Binding &b, const std::map<std::string, std::string> &ids, const Graph &target)
{
    if (b.kind == Binding::Kind::TaskOutput || b.kind == Binding::Kind::TaskStatus) {
        if (auto it = ids.find(b.task); it != ids.end())
            b.task = it->second;
        else if (!target.task(b.task))
            b = Binding{};
    }
    for (Binding &o : b.options)
        remap(o, ids, target);
}

} // namespace

std::string copyFragment(const PipelineDocument &doc, const QStringList &taskIds)
{
    const Pipeline &p = doc.pipeline();
    Pipeline fragment;
    fragment.name = "clipboard";
    std::set<std::string> wanted;
    for (const QString &id : taskIds)
        wanted.insert(id.toStdString());
    for (const Task &t : p.root.tasks) {
        if (!wanted.count(t.id))
            continue;
        Task copy = t;
        copy.group.clear(); // frames are not copied; pasted tasks land at the root
        fragment.root.tasks.push_back(copy);
        if (const Component *c = p.component(t.component)) {
            Component embedded = *c;
            embedded.source = ComponentSource{}; // paths are relative to a document the paste may not share
            fragment.components[t.component] = embedded;
        }
        if (auto pos = doc.taskPosition(QString::fromStdString(t.id)))
            fragment.layout.tasks[t.id] = *pos;
    }
    return writeDocument(fragment);
}

PasteCommand::PasteCommand(PipelineDocument *doc, const std::string &fragment, Layout::Point offset,
                           QUndoCommand *parent)
    : DocumentEditCommand(doc, QCoreApplication::translate("pw::Commands", "Paste"), parent)
{
    auto parsed = readDocument(fragment, "clipboard.pipewright.yaml");
    if (!parsed.ok()) {
        m_error = QString::fromStdString(parsed.error().toString());
        return;
    }
    const Pipeline &src = *parsed;
    const Graph &target = doc->graph();

    std::map<std::string, std::string> taskIds, componentIds;
    std::set<std::string> taken;
    for (const Task &t : src.root.tasks) {
        std::string id = doc->uniqueTaskId(t.id);
        for (int n = 2; taken.count(id); ++n)
            id = doc->uniqueTaskId(t.id + "-" + std::to_string(n));
        taken.insert(id);
        taskIds[t.id] = id;
    }
    std::set<std::string> addedComponentIds;
    for (const auto &[id, c] : src.components) {
        // componentIdFor names a component of the document only when it is
        // the same one; else a free id, which must also be free of the ids
        // this paste adds. A candidate the document already uses is never
        // taken: the task would run a different component than was copied.
        const std::string stem = doc->componentIdFor(c);
        std::string newId = stem;
        if (!doc->pipeline().component(stem))
            for (int n = 2; addedComponentIds.count(newId) || doc->pipeline().component(newId); ++n)
                newId = stem + "-" + std::to_string(n);
        componentIds[id] = newId;
        if (!doc->pipeline().component(newId) && addedComponentIds.insert(newId).second)
            m_edit.addedComponents.emplace_back(newId, c);
    }
    int index = int(target.tasks.size());
    for (Task t : src.root.tasks) {
        const std::string oldId = t.id;
        t.id = taskIds[oldId];
        t.component = componentIds[t.component];
        for (auto &[name, b] : t.arguments)
            remap(b, taskIds, target);
        std::erase_if(t.arguments, [](const auto &kv) { return !kv.second.isSet(); });
        std::vector<TaskId> after;
        for (const TaskId &a : t.after) {
            if (taskIds.count(a))
                after.push_back(taskIds[a]);
            else if (target.task(a))
                after.push_back(a);
        }
        t.after = after;
        std::optional<Layout::Point> pos;
        if (auto it = src.layout.tasks.find(oldId); it != src.layout.tasks.end())
            pos = Layout::Point{it->second.x + offset.x, it->second.y + offset.y};
        m_pasted << QString::fromStdString(t.id);
        m_edit.addedTasks.push_back({index++, std::move(t), pos});
    }
    m_valid = !m_edit.addedTasks.empty();
    if (!m_valid)
        m_error = QCoreApplication::translate("pw::Commands", "The clipboard holds no tasks");
}

} // namespace pw
