// SPDX-License-Identifier: Apache-2.0
#include "document/documentedit.h"

#include <algorithm>

namespace pw {

namespace {

QString qid(const std::string &s)
{
    return QString::fromStdString(s);
}

template <typename Entry>
std::vector<const Entry *> byIndex(const std::vector<Entry> &entries, bool descending)
{
    std::vector<const Entry *> sorted;
    for (const Entry &e : entries)
        sorted.push_back(&e);
    std::stable_sort(sorted.begin(), sorted.end(), [descending](const Entry *a, const Entry *b) {
        return descending ? a->index > b->index : a->index < b->index;
    });
    return sorted;
}

// Inside a batch, many tasks go in or out in one pass over the list.
void insertTasks(PipelineDocument &doc, const std::vector<DocumentEdit::TaskEntry> &entries)
{
    const auto sorted = byIndex(entries, false);
    if (doc.inBatch()) {
        doc.insertTasks(sorted);
        return;
    }
    for (const auto *e : sorted)
        doc.insertTask(e->index, e->task, e->position);
}

void removeTasks(PipelineDocument &doc, const std::vector<DocumentEdit::TaskEntry> &entries)
{
    if (doc.inBatch()) {
        std::vector<std::string> ids;
        for (const auto &e : entries)
            ids.push_back(e.task.id);
        doc.removeTasks(ids);
        return;
    }
    for (const auto *e : byIndex(entries, true))
        doc.removeTask(qid(e->task.id));
}

void insertGroups(PipelineDocument &doc, const std::vector<DocumentEdit::GroupEntry> &entries)
{
    for (const auto *e : byIndex(entries, false))
        doc.insertGroup(e->index, e->group, e->position);
}

void removeGroups(PipelineDocument &doc, const std::vector<DocumentEdit::GroupEntry> &entries)
{
    for (const auto *e : byIndex(entries, true))
        doc.removeGroup(qid(e->group.id));
}

// Above this many tasks and groups, an edit is applied as one batch: views
// re-read the document once instead of following each item.
constexpr std::size_t kBatchThreshold = 64;

// Opens a batch on the document for a large edit, closes it when done.
class BatchScope {
public:
    BatchScope(PipelineDocument &doc, const DocumentEdit &edit)
        : m_doc(edit.itemCount() > kBatchThreshold ? &doc : nullptr)
    {
        if (m_doc)
            m_doc->beginBatch();
    }
    ~BatchScope()
    {
        if (m_doc)
            m_doc->endBatch();
    }
    BatchScope(const BatchScope &) = delete;
    BatchScope &operator=(const BatchScope &) = delete;

private:
    PipelineDocument *m_doc;
};

} // namespace

std::size_t DocumentEdit::itemCount() const
{
    return removedTasks.size() + addedTasks.size() + changedTasks.size() + removedGroups.size() +
           addedGroups.size() + changedGroups.size();
}

bool DocumentEdit::isEmpty() const
{
    return removedTasks.empty() && addedTasks.empty() && changedTasks.empty() && removedGroups.empty() &&
           addedGroups.empty() && changedGroups.empty() && removedComponents.empty() && addedComponents.empty() &&
           !outputValues;
}

void DocumentEdit::changeTask(const Task &before, const Task &after)
{
    for (auto &[b, a] : changedTasks) {
        if (b.id == before.id) {
            a = after;
            return;
        }
    }
    changedTasks.emplace_back(before, after);
}

void DocumentEdit::changeGroup(const Group &before, const Group &after)
{
    for (auto &[b, a] : changedGroups) {
        if (b.id == before.id) {
            a = after;
            return;
        }
    }
    changedGroups.emplace_back(before, after);
}

bool DocumentEditCommand::mergeChange(const DocumentEditCommand *other)
{
    auto &mine = m_edit;
    const auto &theirs = other->m_edit;
    if (mine.changedTasks.size() == 1 && theirs.changedTasks.size() == 1 && mine.changedGroups.empty() &&
        theirs.changedGroups.empty() && mine.changedTasks.front().first.id == theirs.changedTasks.front().first.id) {
        mine.changedTasks.front().second = theirs.changedTasks.front().second;
        setObsolete(mine.changedTasks.front().first == mine.changedTasks.front().second);
        return true;
    }
    if (mine.changedGroups.size() == 1 && theirs.changedGroups.size() == 1 && mine.changedTasks.empty() &&
        theirs.changedTasks.empty() && mine.changedGroups.front().first.id == theirs.changedGroups.front().first.id) {
        mine.changedGroups.front().second = theirs.changedGroups.front().second;
        setObsolete(mine.changedGroups.front().first == mine.changedGroups.front().second);
        return true;
    }
    return false;
}

void DocumentEdit::apply(PipelineDocument &doc) const
{
    const BatchScope batch(doc, *this);
    for (const auto &[id, c] : addedComponents)
        doc.setComponent(id, c);
    removeTasks(doc, removedTasks);
    removeGroups(doc, removedGroups);
    insertGroups(doc, addedGroups);
    insertTasks(doc, addedTasks);
    for (const auto &[before, after] : changedGroups)
        doc.replaceGroup(after);
    for (const auto &[before, after] : changedTasks)
        doc.replaceTask(after);
    if (outputValues)
        doc.setOutputValues(outputValues->second);
    for (const auto &[id, c] : removedComponents)
        doc.setComponent(id, std::nullopt);
}

void DocumentEdit::revert(PipelineDocument &doc) const
{
    const BatchScope batch(doc, *this);
    for (const auto &[id, c] : removedComponents)
        doc.setComponent(id, c);
    if (outputValues)
        doc.setOutputValues(outputValues->first);
    for (auto it = changedTasks.rbegin(); it != changedTasks.rend(); ++it)
        doc.replaceTask(it->first);
    for (auto it = changedGroups.rbegin(); it != changedGroups.rend(); ++it)
        doc.replaceGroup(it->first);
    removeTasks(doc, addedTasks);
    removeGroups(doc, addedGroups);
    insertGroups(doc, removedGroups);
    insertTasks(doc, removedTasks);
    for (const auto &[id, c] : addedComponents)
        doc.setComponent(id, std::nullopt);
}

} // namespace pw
