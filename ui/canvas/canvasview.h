// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QGraphicsView>

class QMimeData;

namespace pw {

class PipelineScene;

// The canvas: zoom with the wheel (anchored under the mouse), Ctrl +/-, fit;
// pan with the middle button, Space+drag or the scroll bars; rubber-band
// selection on empty space. Dropped components and component files are
// reported with the scene position, for the window to turn into tasks.
class CanvasView final : public QGraphicsView {
    Q_OBJECT
public:
    explicit CanvasView(PipelineScene *scene, QWidget *parent = nullptr);

    PipelineScene *pipelineScene() const { return m_scene; }
    qreal zoom() const { return transform().m11(); }
    void setZoom(qreal zoom);
    void zoomBy(qreal factor);
    // Fits the whole pipeline, never above natural size. The first fit after a
    // pipeline is opened stops at a readable size and shows the pipeline's start.
    void fitAll();
    // Scene position at the centre of the viewport (where keyboard adds go).
    QPointF visibleCenter() const;
    // What the empty canvas says to do first; empty once there are tasks.
    QString emptyHint() const;

    static constexpr const char *kComponentMimeType = "application/x-pipewright-component";

signals:
    void componentDropped(const QString &path, const QPointF &scenePos);
    void zoomChanged(qreal zoom);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    // Keeps the scroll area covering the items and what is on screen, so the
    // view never re-centres a scene that grows or shrinks (drops and moves
    // leave everything else where it was on screen).
    void coverVisibleArea();
    static QStringList droppedPaths(const QMimeData *mime);

    PipelineScene *m_scene;
    bool m_panning = false;
    bool m_spaceHeld = false;
    bool m_covering = false;
    bool m_coverQueued = false;
    bool m_justOpened = false;
    bool m_keepViewOnce = false;
    QPoint m_panFrom;
};

} // namespace pw
