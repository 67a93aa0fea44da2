// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QTreeWidget>

namespace pw {

// The palette's list: component rows carry their file path (Qt::UserRole)
// and drag out as the canvas's component MIME type.
class PaletteTree final : public QTreeWidget {
    Q_OBJECT
public:
    explicit PaletteTree(QWidget *parent = nullptr);

protected:
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QList<QTreeWidgetItem *> &items) const override;
    // A dragged row does not stay selected once it is dropped.
    void startDrag(Qt::DropActions supportedActions) override;
};

} // namespace pw
