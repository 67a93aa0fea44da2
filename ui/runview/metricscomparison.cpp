// SPDX-License-Identifier: Apache-2.0
#include "runview/metricscomparison.h"

#include "runview/runstatestyle.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
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
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setTextElideMode(Qt::ElideMiddle);
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
                                       : tr("%1 runs, %2 metrics. Metrics in bold differ between runs; "
                                            "parameters are listed when they differ.")
                                             .arg(runs.size())
                                             .arg(rows.size()));
    m_table->clear();
    m_table->setColumnCount(int(runs.size()) + 2);
    QStringList headers{tr("Task"), tr("Metric")};
    for (const RunGraph &r : runs) {
        // Default names are <pipeline>-<date>-<time>: the part that tells runs apart is the end.
        QString name = QString::fromStdString(r.name);
        const QString prefix = QString::fromStdString(r.pipelineName) + '-';
        if (name.startsWith(prefix) && name.size() > prefix.size())
            name = name.mid(prefix.size());
        headers << QStringLiteral("%1\n%2 · %3")
                       .arg(name, RunStateStyle::text(r.state),
                            QDateTime::fromMSecsSinceEpoch(r.createdMs).toString("HH:mm:ss"));
    }
    m_table->setHorizontalHeaderLabels(headers);
    // Parameters that differ explain the metrics that differ: list them first.
    std::map<std::string, std::vector<QString>> params;
    for (std::size_t i = 0; i < runs.size(); ++i)
        for (auto it = runs[i].parameters.begin(); it != runs[i].parameters.end(); ++it) {
            auto &values = params[it.key()];
            values.resize(runs.size(), QStringLiteral("–"));
            values[i] = QString::fromStdString(it.value().is_string() ? it.value().get<std::string>()
                                                                      : it.value().dump());
        }
    for (auto &[name, values] : params)
        values.resize(runs.size(), QStringLiteral("–"));
    std::erase_if(params, [](const auto &p) {
        return std::all_of(p.second.begin(), p.second.end(), [&](const QString &v) { return v == p.second.front(); });
    });
    m_table->setRowCount(int(params.size() + rows.size()));
    int row = 0;
    for (const auto &[name, values] : params) {
        auto *kind = new QTableWidgetItem(tr("parameter"));
        QFont italic = kind->font();
        italic.setItalic(true);
        kind->setFont(italic);
        m_table->setItem(row, 0, kind);
        m_table->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(name)));
        for (std::size_t c = 0; c < values.size(); ++c) {
            auto *cell = new QTableWidgetItem(values[c]);
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            cell->setToolTip(values[c]);
            m_table->setItem(row, int(c) + 2, cell);
        }
        ++row;
    }
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
    // Run names are long and alike; the header elides their middle, the tooltip has them whole.
    for (int c = 2; c < m_table->columnCount(); ++c) {
        m_table->setColumnWidth(c, std::clamp(m_table->columnWidth(c), 90, 150));
        const RunGraph &r = runs[std::size_t(c - 2)];
        m_table->horizontalHeaderItem(c)->setToolTip(
            tr("%1\nrun %2").arg(QString::fromStdString(r.name), QString::fromStdString(r.id)));
    }
}

QStringList MetricsComparison::rowKeys() const
{
    QStringList keys;
    for (int r = 0; r < m_table->rowCount(); ++r) // parameters first: "parameter · epochs"
        keys << m_table->item(r, 0)->text() + QStringLiteral(" · ") + m_table->item(r, 1)->text();
    return keys;
}

} // namespace pw
