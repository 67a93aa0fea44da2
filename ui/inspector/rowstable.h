// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QTableWidget;
class QTableWidgetItem;

namespace pw {

// A small editable table (env vars, labels, tolerations, parameters, ...)
// with add and remove buttons. Rows whose first cell is empty are drafts and
// are left out of rows(), so adding a row commits nothing until it has a key.
class RowsTable final : public QWidget {
    Q_OBJECT
public:
    RowsTable(const QString &name, const QStringList &columns, QWidget *parent = nullptr);

    QList<QStringList> rows() const;
    // Replaces the content unless the user is editing a cell right now.
    void setRows(const QList<QStringList> &rows);
    QTableWidget *table() const { return m_table; }
    // What each column expects ("key=value, …"), shown in its header.
    void setColumnHints(const QStringList &hints);

signals:
    void rowsEdited();

private:
    void fitHeight();
    static QTableWidgetItem *newItem(const QString &text);

    QTableWidget *m_table;
    int m_columns;
    int m_addHeight = 24;
    bool m_loading = false;
};

} // namespace pw
