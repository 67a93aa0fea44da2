// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>

class QMenuBar;
class QTableWidget;

namespace pw {

// Every menu command that has a shortcut, by menu, as one searchable sheet
// (Help > Keyboard Shortcuts). Read from the menus themselves, so it never
// disagrees with them.
class ShortcutsDialog final : public QDialog {
    Q_OBJECT
public:
    ShortcutsDialog(const QMenuBar *menus, QWidget *parent = nullptr);
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace pw
