// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/pipelinedocument.h"

#include <QUndoCommand>

#include <optional>
#include <utility>
#include <vector>

namespace pw {

// A structural change as snapshots of whole tasks, groups and components
// with their indices and positions: applying it forwards and backwards
// restores the same ids in the same order, so undo gives back the document
// byte for byte. Removals use indices in the state before the edit,
// additions indices in the state after the removals.
struct DocumentEdit {
    using Point = Layout::Point;
    using TaskEntry = PipelineDocument::TaskEntry;
    struct GroupEntry {
        int index = 0;
        Group group;
        std::optional<Point> position;
    };
    std::vector<TaskEntry> removedTasks, addedTasks;
    std::vector<std::pair<Task, Task>> changedTasks; // before, after
    std::vector<GroupEntry> removedGroups, addedGroups;
    std::vector<std::pair<Group, Group>> changedGroups;
    std::vector<std::pair<std::string, Component>> removedComponents, addedComponents;
    std::optional<std::pair<std::map<std::string, Binding>, std::map<std::string, Binding>>> outputValues;

    bool isEmpty() const;
    // Tasks and groups added, removed or changed.
    std::size_t itemCount() const;
    void apply(PipelineDocument &doc) const;
    void revert(PipelineDocument &doc) const;

    // Records `after` as the new state of a task, keeping the first `before`.
    void changeTask(const Task &before, const Task &after);
    void changeGroup(const Group &before, const Group &after);
};

// Base of the commands whose effect is a DocumentEdit.
class DocumentEditCommand : public QUndoCommand {
public:
    DocumentEditCommand(PipelineDocument *doc, const QString &text, QUndoCommand *parent = nullptr)
        : QUndoCommand(text, parent), m_doc(doc)
    {
    }
    void redo() override { m_edit.apply(*m_doc); }
    void undo() override { m_edit.revert(*m_doc); }
    const DocumentEdit &edit() const { return m_edit; }

protected:
    // Typing merges: keep this command's "before" and take the other's
    // "after" of the one changed task or group; a net no-op becomes obsolete.
    bool mergeChange(const DocumentEditCommand *other);

    PipelineDocument *m_doc;
    DocumentEdit m_edit;
};

} // namespace pw
