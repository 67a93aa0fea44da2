// SPDX-License-Identifier: Apache-2.0
#include "document/commands/groupcommands.h"

#include "document/commands/commandids.h"

#include <QCoreApplication>

#include <algorithm>

namespace pw {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("pw::Commands", text);
}

const char *baseId(Group::Kind kind)
{
    switch (kind) {
    case Group::Kind::Condition:
        return "condition";
    case Group::Kind::Branches:
        return "branches";
    case Group::Kind::Loop:
        return "for-loop";
    case Group::Kind::ExitHandler:
        return "exit-handler";
    }
    return "group";
}

} // namespace

AddGroupCommand::AddGroupCommand(PipelineDocument *doc, Group::Kind kind, const QStringList &memberTasks,
                                 std::optional<Layout::Point> position, QUndoCommand *parent)
    : DocumentEditCommand(doc, tr("Add group"), parent)
{
    Group group;
    group.kind = kind;
    group.id = doc->uniqueGroupId(baseId(kind));
    m_groupId = QString::fromStdString(group.id);
    if (kind == Group::Kind::Condition)
        group.condition = Condition{Binding::constant("true"), "==", Binding::constant("true")};
    if (kind == Group::Kind::Loop)
        group.loop.items = Binding::constant(nlohmann::json::array({"a", "b"}));
    bool first = true;
    for (const QString &id : memberTasks) {
        const Task *t = doc->task(id);
        if (!t)
            continue;
        if (first)
            group.parent = t->group;
        else if (group.parent != t->group)
            group.parent.clear();
        first = false;
    }
    for (const QString &id : memberTasks) {
        if (const Task *t = doc->task(id)) {
            Task after = *t;
            after.group = group.id;
            m_edit.changeTask(*t, after);
        }
    }
    m_edit.addedGroups.push_back({int(doc->graph().groups.size()), std::move(group), position});
}

AddBranchCommand::AddBranchCommand(PipelineDocument *doc, const QString &conditionId, const QStringList &memberTasks,
                                   bool elseBranch, QUndoCommand *parent)
    : DocumentEditCommand(doc, elseBranch ? tr("Add else branch") : tr("Add else-if branch"), parent)
{
    const Graph &graph = doc->graph();
    const Group *condition = graph.group(conditionId.toStdString());
    if (!condition || condition->kind != Group::Kind::Condition) {
        m_problem = tr("Select a condition frame to add a branch after");
        return;
    }
    std::string chainId = condition->parent;
    const Group *chain = graph.group(chainId);
    int nextOrder = 1;
    if (chain && chain->kind == Group::Kind::Branches) {
        for (const Group &g : graph.groups) {
            if (g.parent != chainId)
                continue;
            if (!g.condition) {
                m_problem = tr("This if/elif/else chain already ends in an else branch");
                return;
            }
            nextOrder = std::max(nextOrder, g.order + 1);
        }
    } else {
        // The condition becomes the first branch of a new chain in its place.
        Group branches;
        branches.kind = Group::Kind::Branches;
        branches.id = doc->uniqueGroupId(baseId(Group::Kind::Branches));
        branches.parent = condition->parent;
        chainId = branches.id;
        Group first = *condition;
        first.parent = chainId;
        first.order = 0;
        m_edit.changeGroup(*condition, first);
        m_edit.addedGroups.push_back({int(graph.groups.size()), std::move(branches), std::nullopt});
    }
    Group branch;
    branch.kind = Group::Kind::Condition;
    branch.id = doc->uniqueGroupId(baseId(Group::Kind::Condition));
    branch.parent = chainId;
    branch.order = nextOrder;
    if (!elseBranch)
        branch.condition = Condition{Binding::constant("true"), "==", Binding::constant("true")};
    m_groupId = QString::fromStdString(branch.id);
    for (const QString &id : memberTasks) {
        if (const Task *t = doc->task(id)) {
            Task after = *t;
            after.group = branch.id;
            m_edit.changeTask(*t, after);
        }
    }
    m_edit.addedGroups.push_back({int(graph.groups.size() + m_edit.addedGroups.size()), std::move(branch),
                                  std::nullopt});
}

SetTaskGroupCommand::SetTaskGroupCommand(PipelineDocument *doc, const QStringList &taskIds, const QString &groupId,
                                         QUndoCommand *parent)
    : DocumentEditCommand(doc, groupId.isEmpty() ? tr("Move out of group") : tr("Move into %1").arg(groupId), parent)
{
    for (const QString &id : taskIds) {
        if (const Task *t = doc->task(id); t && t->group != groupId.toStdString()) {
            Task after = *t;
            after.group = groupId.toStdString();
            m_edit.changeTask(*t, after);
        }
    }
}

SetGroupFieldCommand::SetGroupFieldCommand(PipelineDocument *doc, const Group &after, const QString &field,
                                           QUndoCommand *parent)
    : DocumentEditCommand(doc, tr("Change group %1").arg(field), parent), m_groupId(QString::fromStdString(after.id)),
      m_field(field)
{
    if (const Group *before = doc->group(m_groupId); before && !(*before == after))
        m_edit.changeGroup(*before, after);
}

int SetGroupFieldCommand::id() const
{
    return SetGroupFieldId;
}

bool SetGroupFieldCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const SetGroupFieldCommand *>(other);
    return o->m_groupId == m_groupId && o->m_field == m_field && mergeChange(o);
}

} // namespace pw
