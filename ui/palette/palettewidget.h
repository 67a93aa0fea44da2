// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "palette/componentlibrary.h"

#include <QWidget>

class QLineEdit;
class QNetworkAccessManager;
class QTreeWidgetItem;

namespace pw {

class PaletteTree;

// The component palette: the library grouped by category, a search box,
// tooltips with each component's ports, "Open YAML", and buttons to add the
// user's own component files, folders and URLs (remembered in settings).
class PaletteWidget final : public QWidget {
    Q_OBJECT
public:
    explicit PaletteWidget(QWidget *parent = nullptr);

    const ComponentLibrary &library() const { return m_library; }
    PaletteTree *tree() const { return m_tree; }
    QLineEdit *searchBox() const { return m_search; }
    // The row of a component, for tests and keyboard use.
    QTreeWidgetItem *itemFor(const QString &name) const;

    void addUserPath(const QString &path);
    void addUrl(const QUrl &url);
    void reload();

signals:
    // Double-click or Enter on a component: add it at the canvas centre.
    void componentActivated(const QString &path);
    void message(const QString &text);

private:
    void populate();
    void applyFilter(const QString &text);
    void showContextMenu(const QPoint &pos);
    QStringList userPaths() const;

    ComponentLibrary m_library;
    QLineEdit *m_search;
    PaletteTree *m_tree;
    QNetworkAccessManager *m_network = nullptr;
};

} // namespace pw
