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
// as small boxes laid out left to right with Graphviz, and the data flowing
// between them. A picture of the component, not an editor: the inner graph
// belongs to the component, which every task using it shares.
class SubPipelinePreview final {
public:
    explicit SubPipelinePreview(const Graph &graph);

    // Size at scale 1 (scene units).
    QSizeF size() const { return m_size; }
    QStringList taskLabels() const;
    // Draws into `target`, scaled down (never up) to fit its width.
    void paint(QPainter *painter, const QRectF &target) const;
    // Height that paint() needs for `width`.
    qreal heightFor(qreal width) const;

private:
    struct Box {
        QString label;
        QRectF rect;
    };
    QList<Box> m_boxes;
    QList<QPainterPath> m_edges;
    QSizeF m_size;
};

} // namespace pw
