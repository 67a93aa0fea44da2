// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/graph.h"

#include <QList>
#include <QPainterPath>
#include <QRectF>
#include <QString>

class QPainter;

namespace pw {

// What an expanded sub-pipeline node shows below its ports: the inner tasks
// as boxes wide enough for their names, the data flowing between them, and
// the frames of its conditions, branches and loops (with the edge from what
// they read), laid out by layoutGraph left to right or, when that would have
// to shrink too far to fit the node, top to bottom. A picture of the
// component, not an editor: the inner graph belongs to the component, which
// every task using it shares.
class SubPipelinePreview final {
public:
    explicit SubPipelinePreview(const Graph &graph);

    // Size at scale 1 (scene units).
    QSizeF size() const { return m_size; }
    QStringList taskLabels() const;
    QStringList frameLabels() const;
    int edgeCount() const { return int(m_edges.size()); }
    // Whether any task's name is cut short in its box.
    bool elidesLabels() const;
    bool isLeftToRight() const { return m_leftToRight; }
    // Draws into `target`, scaled down (never up) to fit its width.
    void paint(QPainter *painter, const QRectF &target) const;
    // Height that paint() needs for `width`.
    qreal heightFor(qreal width) const;

private:
    struct Box {
        QString label;
        QRectF rect;
    };
    QList<Box> m_boxes, m_frames;
    QList<QPainterPath> m_edges;
    QSizeF m_size;
    bool m_leftToRight = true;
};

} // namespace pw
