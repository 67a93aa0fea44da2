// SPDX-License-Identifier: Apache-2.0
#include "problems/problemspanel.h"

#include <QApplication>
#include <QHeaderView>
#include <QStyle>

#include <algorithm>

namespace pw {

ProblemsPanel::ProblemsPanel(QWidget *parent) : QTreeWidget(parent)
{
    setObjectName("problems");
    setColumnCount(3);
    setHeaderLabels({tr("Problem"), tr("Task"), tr("Where")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setWordWrap(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setStretchLastSection(false);
    connect(this, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        const QString task = item->data(0, Qt::UserRole).toString();
        if (!task.isEmpty())
            emit taskActivated(task);
    });
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QString task = item->data(0, Qt::UserRole).toString();
        if (!task.isEmpty())
            emit taskActivated(task);
    });
}

void ProblemsPanel::setProblems(const std::vector<Problem> &problems)
{
    std::vector<const Problem *> sorted;
    for (const Problem &p : problems)
        sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Problem *a, const Problem *b) { return int(a->severity) < int(b->severity); });
    clear();
    m_errors = m_warnings = 0;
    QStyle *style = QApplication::style();
    // Cap the rows: a broken 10,000-task import should not freeze the panel.
    constexpr std::size_t kMaxRows = 500;
    QList<QTreeWidgetItem *> rows;
    for (const Problem *p : sorted) {
        if (p->severity == Problem::Severity::Error)
            ++m_errors;
        else if (p->severity == Problem::Severity::Warning)
            ++m_warnings;
        if (std::size_t(rows.size()) >= kMaxRows)
            continue;
        QString where;
        if (p->where.line > 0)
            where = QStringLiteral("line %1").arg(p->where.line);
        if (!p->where.field.empty())
            where += (where.isEmpty() ? "" : ", ") + QString::fromStdString(p->where.field);
        auto *item = new QTreeWidgetItem({QString::fromStdString(p->message), QString::fromStdString(p->where.task),
                                          where});
        item->setToolTip(0, QString::fromStdString(p->message));
        item->setData(0, Qt::UserRole, QString::fromStdString(p->where.task));
        item->setIcon(0, style->standardIcon(p->severity == Problem::Severity::Error     ? QStyle::SP_MessageBoxCritical
                                             : p->severity == Problem::Severity::Warning ? QStyle::SP_MessageBoxWarning
                                                                                         : QStyle::SP_MessageBoxInformation));
        rows << item;
    }
    addTopLevelItems(rows);
    resizeColumnToContents(1);
    emit countsChanged(m_errors, m_warnings);
}

} // namespace pw
