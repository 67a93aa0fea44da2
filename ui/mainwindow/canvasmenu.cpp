// SPDX-License-Identifier: Apache-2.0
#include "mainwindow/canvasmenu.h"

#include "canvas/canvasview.h"
#include "canvas/edgeitem.h"
#include "canvas/groupframeitem.h"
#include "canvas/pipelinescene.h"
#include "canvas/portitem.h"
#include "canvas/taskitem.h"
#include "mainwindow/editcontroller.h"
#include "mainwindow/viewcontroller.h"

#include <QContextMenuEvent>
#include <QMenu>

namespace pw {

namespace {

QAction *named(const QList<QAction *> &actions, const char *name)
{
    for (QAction *a : actions)
        if (a->objectName() == QLatin1String(name))
            return a;
    return nullptr;
}

void addNamed(QMenu *menu, const QList<QAction *> &actions, std::initializer_list<const char *> names)
{
    for (const char *name : names)
        if (QAction *a = named(actions, name))
            menu->addAction(a);
}

// The task, frame or edge a click at `item` means (a port belongs to its task).
QGraphicsItem *target(QGraphicsItem *item)
{
    for (; item; item = item->parentItem())
        if (item->type() == TaskItem::Type || item->type() == GroupFrameItem::Type ||
            item->type() == EdgeItem::Type)
            return item;
    return nullptr;
}

} // namespace

CanvasMenu::CanvasMenu(CanvasView *view, PipelineScene *scene, EditController *edits, ViewController *views,
                       QWidget *window)
    : QObject(window), m_view(view), m_scene(scene), m_edits(edits), m_views(views), m_window(window)
{
    m_view->viewport()->installEventFilter(this);
}

QMenu *CanvasMenu::menuAt(const QPoint &viewportPos)
{
    auto *menu = new QMenu(m_window);
    menu->setObjectName("canvasMenu");
    const QList<QAction *> edit = m_edits->actions();
    QGraphicsItem *item = target(m_view->itemAt(viewportPos));
    if (item && !item->isSelected()) {
        m_scene->clearSelection();
        item->setSelected(true);
    }
    if (!item) {
        addNamed(menu, edit, {"paste", "selectall"});
        menu->addSeparator();
        menu->addActions(m_views->layoutActions());
        menu->addAction(m_views->actions().at(2)); // fit
        return menu;
    }
    if (item->type() == TaskItem::Type) {
        addNamed(menu, edit, {"cut", "copy", "duplicate", "delete"});
        menu->addSeparator();
        menu->addActions(m_edits->groupActions());
    } else if (item->type() == GroupFrameItem::Type) {
        addNamed(menu, edit, {"copy", "delete"});
        menu->addSeparator();
        menu->addActions(m_edits->groupActions().mid(3)); // branches
    } else {
        addNamed(menu, edit, {"delete"});
    }
    return menu;
}

bool CanvasMenu::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::ContextMenu)
        return QObject::eventFilter(watched, event);
    auto *e = static_cast<QContextMenuEvent *>(event);
    QMenu *menu = menuAt(e->pos());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(e->globalPos());
    return true;
}

} // namespace pw
