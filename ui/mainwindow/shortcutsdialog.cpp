// SPDX-License-Identifier: Apache-2.0
#include "mainwindow/shortcutsdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pw {

namespace {

void addRows(QTableWidget *table, const QString &menuTitle, const QMenu *menu)
{
    for (QAction *a : menu->actions()) {
        if (a->menu()) {
            addRows(table, menuTitle, a->menu());
            continue;
        }
        if (a->shortcuts().isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence &k : a->shortcuts())
            keys << k.toString(QKeySequence::NativeText);
        const int row = table->rowCount();
        table->insertRow(row);
        table->setItem(row, 0, new QTableWidgetItem(QString(menuTitle).remove('&')));
        table->setItem(row, 1, new QTableWidgetItem(a->text().remove('&')));
        table->setItem(row, 2, new QTableWidgetItem(keys.join(QStringLiteral(", "))));
    }
}

} // namespace

ShortcutsDialog::ShortcutsDialog(const QMenuBar *menus, QWidget *parent) : QDialog(parent)
{
    setObjectName("shortcutsDialog");
    setWindowTitle(tr("Keyboard Shortcuts"));
    resize(560, 620);
    auto *layout = new QVBoxLayout(this);
    auto *filter = new QLineEdit(this);
    filter->setPlaceholderText(tr("Filter commands"));
    filter->setClearButtonEnabled(true);
    layout->addWidget(filter);
    m_table = new QTableWidget(0, 3, this);
    m_table->setHorizontalHeaderLabels({tr("Menu"), tr("Command"), tr("Shortcut")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    for (QAction *top : menus->actions())
        if (top->menu())
            addRows(m_table, top->text(), top->menu());
    m_table->resizeColumnToContents(0);
    m_table->resizeColumnToContents(2);
    layout->addWidget(m_table, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        for (int r = 0; r < m_table->rowCount(); ++r)
            m_table->setRowHidden(r, !m_table->item(r, 1)->text().contains(text, Qt::CaseInsensitive) &&
                                         !m_table->item(r, 2)->text().contains(text, Qt::CaseInsensitive));
    });
}

} // namespace pw
