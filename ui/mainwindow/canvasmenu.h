// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPoint>

class QMenu;
class QWidget;

namespace pw {

class CanvasView;
class EditController;
class PipelineScene;
class ViewController;

// The canvas's context menus, from the window's own actions: on a task
// (cut, copy, duplicate, delete, group), on a frame or an edge (delete,
// branches), and on empty canvas (paste, select all, layout, fit). It
// watches the canvas viewport's context-menu events, so the canvas itself
// needs no menu code; the item under the pointer is selected first, as a
// right click in a file manager does.
class CanvasMenu final : public QObject {
    Q_OBJECT
public:
    CanvasMenu(CanvasView *view, PipelineScene *scene, EditController *edits, ViewController *views,
               QWidget *window);

    // The menu for a right click at `viewportPos` (selects what is there);
    // the caller owns it.
    QMenu *menuAt(const QPoint &viewportPos);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    CanvasView *m_view;
    PipelineScene *m_scene;
    EditController *m_edits;
    ViewController *m_views;
    QWidget *m_window;
};

} // namespace pw
