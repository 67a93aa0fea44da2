// SPDX-License-Identifier: Apache-2.0
#include "palette/palettetree.h"

#include "canvas/canvasview.h"

#include <QMimeData>

namespace pw {

PaletteTree::PaletteTree(QWidget *parent) : QTreeWidget(parent)
{
    setHeaderHidden(true);
    setDragEnabled(true);
    setDragDropMode(DragOnly);
    setSelectionMode(SingleSelection);
    setRootIsDecorated(true);
    setUniformRowHeights(true);
}

QStringList PaletteTree::mimeTypes() const
{
    return {CanvasView::kComponentMimeType};
}

void PaletteTree::startDrag(Qt::DropActions supportedActions)
{
    QTreeWidget::startDrag(supportedActions);
    clearSelection();
}

QMimeData *PaletteTree::mimeData(const QList<QTreeWidgetItem *> &items) const
{
    if (items.isEmpty() || items.front()->data(0, Qt::UserRole).toString().isEmpty())
        return nullptr;
    auto *mime = new QMimeData;
    mime->setData(CanvasView::kComponentMimeType, items.front()->data(0, Qt::UserRole).toString().toUtf8());
    return mime;
}

} // namespace pw
