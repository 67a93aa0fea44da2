// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

class QAction;
class QLineEdit;
class QWidget;

namespace pw {

class CanvasView;
class PipelineDocument;
class PipelineScene;

// Undo/redo, delete, cut/copy/paste/duplicate (through the system clipboard,
// so they work across windows and documents), select all, find a task by
// name, and wrapping the selection in a group frame.
class EditController final : public QObject {
    Q_OBJECT
public:
    EditController(PipelineDocument *doc, PipelineScene *scene, CanvasView *view, QWidget *window);

    QList<QAction *> actions() const { return m_actions; }
    QList<QAction *> groupActions() const { return m_groupActions; }
    QAction *undoAction() const { return m_undo; }
    QAction *redoAction() const { return m_redo; }
    QLineEdit *findBox() const { return m_find; }

    void deleteSelection();
    void copySelection();
    void cutSelection();
    bool paste();
    void duplicateSelection();
    // Selects the first task whose name or id contains `text` after the
    // current one; false when none does.
    bool findTask(const QString &text);

signals:
    void message(const QString &text);

private:
    void addBranch(bool elseBranch);
    QAction *add(const QString &text, const QKeySequence &key, void (EditController::*slot)());

    PipelineDocument *m_doc;
    PipelineScene *m_scene;
    CanvasView *m_view;
    QWidget *m_window;
    QList<QAction *> m_actions, m_groupActions;
    QAction *m_undo, *m_redo;
    QLineEdit *m_find;
    int m_pasteCount = 0;
};

} // namespace pw
