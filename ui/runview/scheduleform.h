// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backend.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace pw {

// When a recurring run happens: a cron line (five fields, or six with
// seconds) in a time zone, or a fixed interval; how many runs may overlap;
// whether missed runs are caught up; its name.
class ScheduleForm final : public QWidget {
    Q_OBJECT
public:
    explicit ScheduleForm(QWidget *parent = nullptr);

    void fill(ScheduleRequest &request) const;
    // What is wrong with the form; empty when nothing is.
    QString problem() const;

    QLineEdit *cronEdit() const { return m_cron; }
    QComboBox *timeZoneBox() const { return m_zone; }

private:
    QLineEdit *m_name = nullptr;
    QLineEdit *m_cron = nullptr;
    QComboBox *m_zone = nullptr;
    QSpinBox *m_interval = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QCheckBox *m_catchUp = nullptr;
};

} // namespace pw
