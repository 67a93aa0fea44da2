// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backend.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace pw {

class BackendRegistry;

// Recurring runs of the backends that keep schedules: list, pause or resume,
// delete, and New… for the open pipeline (newRequested; the page that owns the
// document opens the dialog). Answers arrive asynchronously.
class SchedulesPanel final : public QWidget {
    Q_OBJECT
public:
    explicit SchedulesPanel(BackendRegistry *registry, QWidget *parent = nullptr);

    QString backend() const;
    void setBackend(const QString &name);
    // Rereads the backends (after Settings changed them) and the schedules.
    void reload();
    void refresh();
    // What the last action said (a time-zone conversion, an error).
    void setNote(const QString &text);

    QTreeWidget *list() const { return m_list; }

signals:
    void newRequested(const QString &backend);
    void refreshed();

private:
    void toggleSelected();
    void deleteSelected();

    BackendRegistry *m_registry;
    QComboBox *m_backend = nullptr;
    QTreeWidget *m_list = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_toggle = nullptr;
    QPushButton *m_delete = nullptr;
    QLabel *m_note = nullptr;
    std::vector<Schedule> m_schedules;
};

} // namespace pw
