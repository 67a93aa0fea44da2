// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <QWidget>

#include <vector>

class QLabel;
class QTableWidget;

namespace pw {

// The metrics of two or more runs side by side: one row per task and
// metric, one column per run. Metrics whose values differ between runs are
// bold, and the parameters that differ come first, since together they are
// what a comparison is for.
class MetricsComparison final : public QWidget {
    Q_OBJECT
public:
    explicit MetricsComparison(QWidget *parent = nullptr);

    void setRuns(const std::vector<RunGraph> &runs);
    QTableWidget *table() const { return m_table; }
    // "task · metric" for each row, for tests.
    QStringList rowKeys() const;

private:
    QLabel *m_caption = nullptr;
    QTableWidget *m_table = nullptr;
};

} // namespace pw
