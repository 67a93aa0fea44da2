// SPDX-License-Identifier: Apache-2.0
#include "canvas/canvasview.h"

#include "canvas/pipelinescene.h"

#include <QApplication>
#include <QMimeData>
#include <QPainter>
#include <QScrollBar>
#include <QUrl>
#include <QWheelEvent>

#include <algorithm>
#include <utility>

namespace pw {

namespace {
constexpr qreal kMinZoom = 0.05;
constexpr qreal kMaxZoom = 4.0;
// Below this the canvas's 9-point port names are hard to read.
constexpr qreal kReadableZoom = 0.8;
} // namespace

CanvasView::CanvasView(PipelineScene *scene, QWidget *parent) : QGraphicsView(scene, parent), m_scene(scene)
{
    setObjectName("canvas");
    setRenderHint(QPainter::Antialiasing);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(AnchorUnderMouse);
    setResizeAnchor(AnchorViewCenter);
    // Items draw their own state; skipping these saves work on large graphs.
    setOptimizationFlags(DontSavePainterState | DontAdjustForAntialiasing);
    setViewportUpdateMode(SmartViewportUpdate);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    // Not QGraphicsScene::changed: listening to it makes every view repaint
    // through the slower whole-scene path.
    connect(scene, &QGraphicsScene::sceneRectChanged, this, &CanvasView::coverVisibleArea);
    // A reset that is a large edit keeps the view: the fit the window asks
    // for after every reset is skipped once.
    connect(scene->document(), &PipelineDocument::documentReset, this, [this] {
        if (m_scene->document()->isEndingBatch())
            m_keepViewOnce = true;
        else
            m_justOpened = true;
    });
}

void CanvasView::coverVisibleArea()
{
    if (m_covering)
        return;
    // The scene's own rectangle grows with its items and never shrinks.
    const QRectF visible = mapToScene(viewport()->rect()).boundingRect();
    const QRectF items = scene()->sceneRect();
    const QRectF needed = items.isNull() ? visible : items.united(visible);
    if (sceneRect().contains(needed))
        return;
    m_covering = true;
    // A screen's worth of room on every side keeps the scroll bars showing,
    // so the viewport keeps its size; the top-left corner stays where it was.
    const QPointF corner = mapToScene(QPoint(0, 0));
    setSceneRect(needed.adjusted(-visible.width(), -visible.height(), visible.width(), visible.height()));
    const QPoint shift = mapFromScene(corner);
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + shift.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() + shift.y());
    m_covering = false;
}

void CanvasView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    coverVisibleArea();
}

void CanvasView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    // Later, not now: centerOn() sets one scroll bar and then the other, and
    // a new scene rectangle in between would move the second off its mark.
    if (!m_coverQueued) {
        m_coverQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_coverQueued = false;
                coverVisibleArea();
            },
            Qt::QueuedConnection);
    }
}

QString CanvasView::emptyHint() const
{
    if (m_scene->taskCount() > 0)
        return {};
    return tr("Drag a component here from the Palette (or double-click it) to start a pipeline.\n"
              "Open a pipeline, component or KFP PipelineSpec with Ctrl+O.");
}

void CanvasView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QGraphicsView::drawForeground(painter, rect);
    const QString hint = emptyHint();
    if (hint.isEmpty())
        return;
    // In viewport coordinates, so the hint keeps its size at any zoom.
    painter->save();
    painter->resetTransform();
    QFont font = painter->font();
    font.setPointSizeF(font.pointSizeF() * 1.2);
    painter->setFont(font);
    painter->setPen(QApplication::palette().color(QPalette::PlaceholderText));
    painter->drawText(viewport()->rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap,
                      hint);
    painter->restore();
}

void CanvasView::setZoom(qreal z)
{
    z = std::clamp(z, kMinZoom, kMaxZoom);
    setTransform(QTransform::fromScale(z, z));
    coverVisibleArea();
    emit zoomChanged(z);
}

void CanvasView::zoomBy(qreal factor)
{
    setZoom(zoom() * factor);
}

void CanvasView::fitAll()
{
    if (std::exchange(m_keepViewOnce, false))
        return;
    const QRectF bounds = scene()->itemsBoundingRect().adjusted(-40, -40, 40, 40);
    if (bounds.isEmpty())
        return;
    const bool opening = std::exchange(m_justOpened, false);
    fitInView(bounds, Qt::KeepAspectRatio);
    // Never blow a small pipeline up past natural size.
    const qreal fit = std::min<qreal>(zoom(), 1.0);
    if (opening && fit < kReadableZoom) {
        // A pipeline just opened that fits only at a size too small to read:
        // show its start readably; Fit Pipeline still shows all of it.
        setZoom(kReadableZoom);
        const QRectF seen = mapToScene(viewport()->rect()).boundingRect();
        centerOn(bounds.left() + seen.width() / 2,
                 bounds.height() <= seen.height() ? bounds.center().y() : bounds.top() + seen.height() / 2);
        return;
    }
    setZoom(fit);
    centerOn(bounds.center());
}

QPointF CanvasView::visibleCenter() const
{
    return mapToScene(viewport()->rect().center());
}

void CanvasView::wheelEvent(QWheelEvent *event)
{
    const qreal steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomBy(std::pow(1.15, steps));
    event->accept();
}

void CanvasView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_panning = true;
        m_panFrom = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void CanvasView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint delta = event->position().toPoint() - m_panFrom;
        m_panFrom = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void CanvasView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning) {
        m_panning = false;
        viewport()->setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void CanvasView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void CanvasView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        viewport()->setCursor(Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

QStringList CanvasView::droppedPaths(const QMimeData *mime)
{
    QStringList paths;
    if (mime->hasFormat(kComponentMimeType))
        paths << QString::fromUtf8(mime->data(kComponentMimeType));
    else if (mime->hasUrls())
        for (const QUrl &url : mime->urls())
            if (url.isLocalFile() && (url.toLocalFile().endsWith(".yaml") || url.toLocalFile().endsWith(".yml")))
                paths << url.toLocalFile();
    return paths;
}

void CanvasView::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppedPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
    else
        QGraphicsView::dragEnterEvent(event);
}

void CanvasView::dragMoveEvent(QDragMoveEvent *event)
{
    if (!droppedPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
    else
        QGraphicsView::dragMoveEvent(event);
}

void CanvasView::dropEvent(QDropEvent *event)
{
    const QStringList paths = droppedPaths(event->mimeData());
    if (paths.isEmpty()) {
        QGraphicsView::dropEvent(event);
        return;
    }
    QPointF at = mapToScene(event->position().toPoint());
    for (const QString &path : paths) {
        emit componentDropped(path, at);
        at += QPointF(30, 30);
    }
    event->acceptProposedAction();
}

} // namespace pw
