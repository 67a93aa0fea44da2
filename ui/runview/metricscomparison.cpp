// SPDX-License-Identifier: Apache-2.0
#include "runview/metricscomparison.h"

#include "runview/runstatestyle.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>
#include <optional>

namespace pw {

MetricsComparison::MetricsComparison(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    layout->addWidget(m_caption);
    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    layout->addWidget(m_table, 1);
    setRuns({});
}

void MetricsComparison::setRuns(const std::vector<RunGraph> &runs)
{
    // (task, metric) -> value per run; std::map keeps rows in a stable order.
    std::map<std::pair<std::string, std::string>, std::vector<std::optional<double>>> rows;
    for (std::size_t i = 0; i < runs.size(); ++i)
        for (const MetricRecord &m : runs[i].metrics) {
            auto &values = rows[{m.task, m.name}];
            values.resize(runs.size());
            values[i] = m.value;
        }
    m_caption->setText(runs.size() < 2 ? tr("Select two or more runs in the runs list and press Compare.")
                                       : tr("%1 runs, %2 metrics. Rows in bold differ between runs.")
                                             .arg(runs.size())
                                             .arg(rows.size()));
    m_table->clear();
    m_table->setColumnCount(int(runs.size()) + 2);
    QStringList headers{tr("Task"), tr("Metric")};
    for (const RunGraph &r : runs)
        headers << QStringLiteral("%1\n%2 · %3")
                       .arg(QString::fromStdString(r.name), RunStateStyle::text(r.state),
                            QDateTime::fromMSecsSinceEpoch(r.createdMs).toString("MMM d HH:mm"));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(int(rows.size()));
    int row = 0;
    for (auto &[key, values] : rows) {
        values.resize(runs.size());
        bool differs = false;
        for (const auto &v : values)
            differs |= v != values.front();
        auto *task = new QTableWidgetItem(QString::fromStdString(key.first));
        auto *name = new QTableWidgetItem(QString::fromStdString(key.second));
        QFont f = name->font();
        f.setBold(differs);
        name->setFont(f);
        m_table->setItem(row, 0, task);
        m_table->setItem(row, 1, name);
        for (std::size_t c = 0; c < values.size(); ++c) {
            auto *cell = new QTableWidgetItem(values[c] ? QString::number(*values[c], 'g', 6) : QStringLiteral("–"));
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            cell->setFont(f);
            if (values[c])
                cell->setToolTip(QString::number(*values[c], 'g', 17));
            m_table->setItem(row, int(c) + 2, cell);
        }
        ++row;
    }
    m_table->resizeColumnsToContents();
}

QStringList MetricsComparison::rowKeys() const
{
    QStringList keys;
    for (int r = 0; r < m_table->rowCount(); ++r)
        keys << m_table->item(r, 0)->text() + QStringLiteral(" · ") + m_table->item(r, 1)->text();
    return keys;
}

} // namespace pw
