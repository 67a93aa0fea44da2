// SPDX-License-Identifier: Apache-2.0
#include "mainwindow/editcontroller.h"

#include "canvas/canvasview.h"
#include "canvas/edgeitem.h"
#include "canvas/pipelinescene.h"
#include "canvas/taskitem.h"
#include "document/commands/bindingcommands.h"
#include "document/commands/clipboardcommands.h"
#include "document/commands/groupcommands.h"
#include "document/commands/settingscommands.h"
#include "document/commands/taskcommands.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QMimeData>

#include <algorithm>

namespace pw {

EditController::EditController(PipelineDocument *doc, PipelineScene *scene, CanvasView *view, QWidget *window)
    : QObject(window), m_doc(doc), m_scene(scene), m_view(view), m_window(window)
{
    m_undo = doc->undoStack()->createUndoAction(this, tr("&Undo"));
    m_undo->setShortcut(QKeySequence::Undo);
    m_redo = doc->undoStack()->createRedoAction(this, tr("&Redo"));
    m_redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::Key_Y)});
    m_actions << m_undo << m_redo;
    add(tr("Cu&t"), QKeySequence::Cut, &EditController::cutSelection);
    add(tr("&Copy"), QKeySequence::Copy, &EditController::copySelection);
    QAction *pasteAction = add(tr("&Paste"), QKeySequence::Paste, nullptr);
    connect(pasteAction, &QAction::triggered, this, [this] { paste(); });
    add(tr("D&uplicate"), QKeySequence(Qt::CTRL | Qt::Key_D), &EditController::duplicateSelection);
    QAction *del = add(tr("&Delete"), QKeySequence::Delete, &EditController::deleteSelection);
    del->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
    QAction *all = add(tr("Select &All"), QKeySequence::SelectAll, nullptr);
    connect(all, &QAction::triggered, m_scene, &PipelineScene::selectAll);

    m_find = new QLineEdit(window);
    m_find->setObjectName("findTask");
    m_find->setPlaceholderText(tr("Find task (Ctrl+F)"));
    m_find->setClearButtonEnabled(true);
    m_find->setMaximumWidth(240);
    QAction *find = add(tr("&Find Task…"), QKeySequence::Find, nullptr);
    connect(find, &QAction::triggered, this, [this] {
        m_find->setFocus();
        m_find->selectAll();
    });
    connect(m_find, &QLineEdit::returnPressed, this, [this] {
        if (!findTask(m_find->text()))
            emit message(tr("No task matches '%1'").arg(m_find->text()));
    });

    auto group = [this](const QString &text, const QKeySequence &key, Group::Kind kind) {
        auto *a = new QAction(text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, [this, kind] {
            const QStringList tasks = m_scene->selectedTaskIds();
            if (tasks.isEmpty()) {
                emit message(tr("Select the tasks to put in the group first"));
                return;
            }
            auto *cmd = new AddGroupCommand(m_doc, kind, tasks, std::nullopt);
            const QString id = cmd->groupId();
            m_doc->undoStack()->push(cmd);
            m_scene->selectGroup(id);
        });
        m_groupActions << a;
    };
    group(tr("Group in &Condition"), QKeySequence(Qt::CTRL | Qt::Key_G), Group::Kind::Condition);
    group(tr("Group in &Loop"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), Group::Kind::Loop);
    group(tr("Group in &Exit Handler"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_G), Group::Kind::ExitHandler);

    // Select a condition frame and the tasks for the new branch, then add it.
    auto branch = [this](const QString &text, const QKeySequence &key, bool elseBranch) {
        auto *a = new QAction(text, this);
        a->setObjectName(elseBranch ? "addElseBranch" : "addElifBranch");
        a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, [this, elseBranch] { addBranch(elseBranch); });
        m_groupActions << a;
    };
    branch(tr("Add Else-&If Branch"), QKeySequence(Qt::CTRL | Qt::Key_B), false);
    branch(tr("Add E&lse Branch"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B), true);
}

void EditController::addBranch(bool elseBranch)
{
    const QStringList groups = m_scene->selectedGroupIds();
    const QStringList tasks = m_scene->selectedTaskIds();
    if (groups.size() != 1 || tasks.isEmpty()) {
        emit message(tr("Select one condition frame and the tasks for the new branch"));
        return;
    }
    auto *cmd = new AddBranchCommand(m_doc, groups.front(), tasks, elseBranch);
    if (!cmd->problem().isEmpty()) {
        emit message(cmd->problem());
        delete cmd;
        return;
    }
    const QString id = cmd->groupId();
    m_doc->undoStack()->push(cmd);
    m_scene->selectGroup(id);
}

QAction *EditController::add(const QString &text, const QKeySequence &key, void (EditController::*slot)())
{
    auto *a = new QAction(text, this);
    a->setShortcut(key);
    // "Select &All" -> "selectall": how menus built elsewhere find it.
    a->setObjectName(QString(text).remove('&').remove(QChar(0x2026)).remove(' ').toLower());
    if (slot)
        connect(a, &QAction::triggered, this, slot);
    m_actions << a;
    return a;
}

void EditController::deleteSelection()
{
    const QStringList tasks = m_scene->selectedTaskIds();
    const QStringList groups = m_scene->selectedGroupIds();
    const QList<EdgeItem *> edges = m_scene->selectedEdges();
    if (tasks.isEmpty() && groups.isEmpty() && edges.isEmpty())
        return;
    QUndoStack *stack = m_doc->undoStack();
    stack->beginMacro(tr("Delete"));
    // Edges first (they may belong to tasks about to go, which is harmless).
    for (EdgeItem *e : edges) {
        if (tasks.contains(e->toTask()))
            continue;
        if (e->isOrdering()) {
            const QString from = e->fromTask();
            pushTaskEdit(m_doc, e->toTask(), tr("order"), [&](Task &t) {
                std::erase(t.after, from.toStdString());
            });
        } else {
            auto *cmd = new SetArgumentCommand(m_doc, e->toTask(), e->input(), std::nullopt);
            if (cmd->isNoOp())
                delete cmd;
            else
                stack->push(cmd);
        }
    }
    if (!tasks.isEmpty() || !groups.isEmpty())
        stack->push(new RemoveItemsCommand(m_doc, tasks, groups));
    stack->endMacro();
}

void EditController::copySelection()
{
    const QStringList tasks = m_scene->selectedTaskIds();
    if (tasks.isEmpty())
        return;
    const QByteArray fragment = QByteArray::fromStdString(copyFragment(*m_doc, tasks));
    auto *mime = new QMimeData;
    mime->setData(kFragmentMimeType, fragment);
    mime->setText(QString::fromUtf8(fragment));
    QApplication::clipboard()->setMimeData(mime);
    m_pasteCount = 0;
    emit message(tr("Copied %n task(s)", nullptr, int(tasks.size())));
}

void EditController::cutSelection()
{
    copySelection();
    deleteSelection();
}

bool EditController::paste()
{
    const QMimeData *mime = QApplication::clipboard()->mimeData();
    if (!mime)
        return false;
    const QByteArray data = mime->hasFormat(kFragmentMimeType) ? mime->data(kFragmentMimeType) : mime->text().toUtf8();
    ++m_pasteCount;
    const Layout::Point offset{40.0 * m_pasteCount, 40.0 * m_pasteCount};
    auto *cmd = new PasteCommand(m_doc, data.toStdString(), offset);
    if (!cmd->isValid()) {
        emit message(tr("Nothing to paste: %1").arg(cmd->error()));
        delete cmd;
        return false;
    }
    const QStringList pasted = cmd->pastedTaskIds();
    m_doc->undoStack()->push(cmd);
    m_scene->clearSelection();
    for (const QString &id : pasted)
        if (TaskItem *item = m_scene->taskItem(id))
            item->setSelected(true);
    return true;
}

void EditController::duplicateSelection()
{
    copySelection();
    paste();
}

bool EditController::findTask(const QString &text)
{
    const QString needle = text.trimmed();
    if (needle.isEmpty())
        return false;
    const auto &tasks = m_doc->graph().tasks;
    const QStringList selected = m_scene->selectedTaskIds();
    int start = 0;
    if (!selected.isEmpty()) {
        const int current = m_doc->taskIndex(selected.front());
        start = current + 1;
    }
    for (std::size_t k = 0; k < tasks.size(); ++k) {
        const Task &t = tasks[(std::size_t(start) + k) % tasks.size()];
        if (QString::fromStdString(t.label()).contains(needle, Qt::CaseInsensitive) ||
            QString::fromStdString(t.id).contains(needle, Qt::CaseInsensitive)) {
            m_scene->selectTask(QString::fromStdString(t.id));
            return true;
        }
    }
    return false;
}

} // namespace pw
