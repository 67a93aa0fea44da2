// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "validate/problem.h"

#include <QTreeWidget>

namespace pw {

// Validation results of the open pipeline, errors first. Activating a row
// that belongs to a task asks the window to select that task.
class ProblemsPanel final : public QTreeWidget {
    Q_OBJECT
public:
    explicit ProblemsPanel(QWidget *parent = nullptr);
    void setProblems(const std::vector<Problem> &problems);
    int errorCount() const { return m_errors; }
    int warningCount() const { return m_warnings; }

signals:
    void taskActivated(const QString &taskId);
    void countsChanged(int errors, int warnings);

private:
    int m_errors = 0;
    int m_warnings = 0;
};

} // namespace pw
