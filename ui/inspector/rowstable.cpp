// SPDX-License-Identifier: Apache-2.0
#include "inspector/rowstable.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace pw {

RowsTable::RowsTable(const QString &name, const QStringList &columns, QWidget *parent)
    : QWidget(parent), m_columns(int(columns.size()))
{
    setObjectName(name);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, m_columns, this);
    m_table->setObjectName(name + ":table");
    m_table->setHorizontalHeaderLabels(columns);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Exactly as tall as its rows (fitHeight): an expanding table would make
    // the frame around it share the form's spare height as empty space.
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    layout->addWidget(m_table, 1);
    auto *buttons = new QVBoxLayout;
    auto *add = new QToolButton(this);
    add->setText("+");
    add->setToolTip(tr("Add a row"));
    auto *remove = new QToolButton(this);
    remove->setText("−");
    remove->setToolTip(tr("Remove the selected rows"));
    m_addHeight = add->sizeHint().height();
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    layout->addLayout(buttons);

    connect(add, &QToolButton::clicked, this, [this] {
        m_loading = true;
        m_table->insertRow(m_table->rowCount());
        for (int c = 0; c < m_columns; ++c)
            m_table->setItem(m_table->rowCount() - 1, c, newItem({}));
        m_loading = false;
        fitHeight();
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    connect(remove, &QToolButton::clicked, this, [this] {
        QList<int> selected;
        for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
            selected << i.row();
        if (selected.isEmpty() && m_table->currentRow() >= 0)
            selected << m_table->currentRow();
        std::sort(selected.begin(), selected.end(), std::greater<>());
        for (int r : selected)
            m_table->removeRow(r);
        fitHeight();
        emit rowsEdited();
    });
    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (item->toolTip() != item->text()) // a long value is read whole on hover
            item->setToolTip(item->text());
        if (!m_loading)
            emit rowsEdited();
    });
    fitHeight();
}

QTableWidgetItem *RowsTable::newItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setToolTip(text);
    return item;
}

void RowsTable::setColumnHints(const QStringList &hints)
{
    for (int c = 0; c < std::min(m_columns, int(hints.size())); ++c)
        if (QTableWidgetItem *header = m_table->horizontalHeaderItem(c); header && !hints[c].isEmpty()) {
            header->setText(header->text() + "  (" + hints[c] + ")");
            header->setToolTip(hints[c]);
        }
}

QList<QStringList> RowsTable::rows() const
{
    QList<QStringList> result;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < m_columns; ++c)
            row << (m_table->item(r, c) ? m_table->item(r, c)->text().trimmed() : QString());
        if (!row.front().isEmpty())
            result << row;
    }
    return result;
}

void RowsTable::setRows(const QList<QStringList> &rows)
{
    // An open cell editor has the focus inside the table: keep the user's typing.
    QWidget *focus = QApplication::focusWidget();
    if ((focus && focus != m_table && m_table->isAncestorOf(focus)) || rows == this->rows())
        return;
    m_loading = true;
    m_table->setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c < m_columns; ++c)
            m_table->setItem(r, c, newItem(c < rows[r].size() ? rows[r][c] : QString()));
    m_loading = false;
    fitHeight();
}

void RowsTable::fitHeight()
{
    // Tables sit in a scrolling form: show every row instead of a nested scroll bar.
    const int rowsShown = std::max(1, m_table->rowCount());
    const int height = m_table->horizontalHeader()->sizeHint().height() +
                       rowsShown * m_table->verticalHeader()->defaultSectionSize() + 2 * m_table->frameWidth();
    m_table->setFixedHeight(height);
    setFixedHeight(std::max(height, 2 * m_addHeight + 6));
}

} // namespace pw
