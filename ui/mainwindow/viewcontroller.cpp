// SPDX-License-Identifier: Apache-2.0
#include "mainwindow/viewcontroller.h"

#include "canvas/autolayout.h"
#include "canvas/canvasview.h"
#include "canvas/pipelinescene.h"

#include <QAction>
#include <QUndoCommand>

namespace pw {

ViewController::ViewController(CanvasView *view, QWidget *window) : QObject(window), m_view(view)
{
    auto add = [this](QList<QAction *> &list, const QString &text, const QList<QKeySequence> &keys, auto slot) {
        auto *a = new QAction(text, this);
        a->setShortcuts(keys);
        connect(a, &QAction::triggered, this, slot);
        list << a;
        return a;
    };
    add(m_actions, tr("Zoom &In"), {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)},
        [this] { m_view->zoomBy(1.25); });
    add(m_actions, tr("Zoom &Out"), {QKeySequence::ZoomOut}, [this] { m_view->zoomBy(0.8); });
    add(m_actions, tr("&Fit Pipeline"), {QKeySequence(Qt::CTRL | Qt::Key_0)}, [this] { m_view->fitAll(); });
    add(m_actions, tr("&Actual Size"), {QKeySequence(Qt::CTRL | Qt::Key_1)}, [this] { m_view->setZoom(1.0); });
    add(m_layoutActions, tr("Auto Layout &Left to Right"), {QKeySequence(Qt::CTRL | Qt::Key_L)},
        [this] { autoLayout(true); });
    add(m_layoutActions, tr("Auto Layout &Top to Bottom"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L)},
        [this] { autoLayout(false); });
}

bool ViewController::autoLayout(bool leftToRight)
{
    PipelineScene *scene = m_view->pipelineScene();
    QUndoCommand *cmd = makeAutoLayoutCommand(scene, leftToRight ? LayoutRequest::Direction::LeftToRight
                                                                 : LayoutRequest::Direction::TopToBottom);
    if (!cmd)
        return false;
    scene->document()->undoStack()->push(cmd);
    m_view->fitAll();
    return true;
}

} // namespace pw
