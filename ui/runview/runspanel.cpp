// SPDX-License-Identifier: Apache-2.0
#include "runview/runspanel.h"

#include "runview/runstatestyle.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>
#include <set>

namespace pw {

namespace {

enum Column { NameColumn, StateColumn, CreatedColumn, DurationColumn, BackendColumn };

// Keeps a combo's choices in step with the values seen, keeping the choice.
void refill(QComboBox *box, const std::set<QString> &values)
{
    const QString chosen = box->currentData().toString();
    while (box->count() > 1)
        box->removeItem(1);
    for (const QString &v : values)
        box->addItem(v, v);
    box->setCurrentIndex(std::max(0, box->findData(chosen)));
}

QIcon stateIcon(RunState s)
{
    QPixmap pm(32, 32);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    RunStateStyle::paintGlyph(&p, QRectF(2, 2, 28, 28), RunStateStyle::asTaskState(s));
    return QIcon(pm);
}

} // namespace

RunsPanel::RunsPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *filters = new QHBoxLayout;
    m_backend = new QComboBox(this);
    m_backend->setObjectName("backendFilter");
    m_backend->addItem(tr("All backends"), QString());
    m_backend->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_backend->setMinimumContentsLength(6);
    m_pipeline = new QComboBox(this);
    m_pipeline->setObjectName("pipelineFilter");
    m_pipeline->addItem(tr("All pipelines"), QString());
    m_pipeline->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_pipeline->setMinimumContentsLength(10);
    m_experiment = new QComboBox(this);
    m_experiment->setObjectName("experimentFilter");
    m_experiment->addItem(tr("All experiments"), QString());
    m_experiment->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_experiment->setMinimumContentsLength(8);
    m_experiment->setVisible(false); // until a run has an experiment
    m_state = new QComboBox(this);
    m_state->setObjectName("stateFilter");
    m_state->addItem(tr("All states"), QString());
    for (RunState s : {RunState::Running, RunState::Succeeded, RunState::Failed, RunState::Cancelled,
                       RunState::Interrupted, RunState::Pending, RunState::Cancelling, RunState::Skipped})
        m_state->addItem(stateIcon(s), RunStateStyle::text(s), RunStateStyle::text(s));
    filters->addWidget(m_backend, 1);
    filters->addWidget(m_pipeline, 2);
    filters->addWidget(m_experiment, 1);
    filters->addWidget(m_state, 1);
    layout->addLayout(filters);

    m_list = new QTreeWidget(this);
    m_list->setHeaderLabels({tr("Run"), tr("State"), tr("Started"), tr("Took"), tr("Backend")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setTextElideMode(Qt::ElideMiddle); // run names differ at the end (the date)
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    for (int c : {StateColumn, CreatedColumn, DurationColumn, BackendColumn})
        m_list->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    layout->addWidget(m_list, 1);

    auto *buttons = new QHBoxLayout;
    m_compare = new QPushButton(tr("Compare"), this);
    m_compare->setToolTip(tr("Metrics of the selected runs side by side"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName("cancelRun");
    m_rerun = new QPushButton(tr("Re-run"), this);
    m_rerun->setToolTip(tr("Run the same pipeline again with the same parameters"));
    buttons->addWidget(m_compare);
    buttons->addStretch();
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_rerun);
    layout->addLayout(buttons);

    connect(m_backend, &QComboBox::currentIndexChanged, this, &RunsPanel::applyFilter);
    connect(m_pipeline, &QComboBox::currentIndexChanged, this, &RunsPanel::applyFilter);
    connect(m_experiment, &QComboBox::currentIndexChanged, this, &RunsPanel::applyFilter);
    connect(m_state, &QComboBox::currentIndexChanged, this, &RunsPanel::applyFilter);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!m_filling && item)
            emit runSelected(item->data(NameColumn, Qt::UserRole).toString());
        updateButtons();
    });
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &RunsPanel::updateButtons);
    connect(m_compare, &QPushButton::clicked, this, [this] { emit compareRequested(selectedRuns()); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { emit cancelRequested(currentRun()); });
    connect(m_rerun, &QPushButton::clicked, this, [this] { emit rerunRequested(currentRun()); });
    updateButtons();
}

void RunsPanel::setRuns(const std::vector<RunGraph> &runs)
{
    m_runs = runs;
    std::set<QString> pipelines, backends, experiments;
    for (const RunGraph &r : m_runs) {
        pipelines.insert(QString::fromStdString(r.pipelineName));
        backends.insert(QString::fromStdString(r.backend));
        if (!r.experiment.empty())
            experiments.insert(QString::fromStdString(r.experiment));
    }
    m_filling = true;
    refill(m_pipeline, pipelines);
    refill(m_backend, backends);
    refill(m_experiment, experiments);
    m_experiment->setVisible(m_experiment->count() > 1);
    m_filling = false;
    applyFilter();
}

void RunsPanel::setPipelineFilter(const QString &pipelineName)
{
    const int i = m_pipeline->findData(pipelineName);
    if (i < 0 && !pipelineName.isEmpty()) // not run yet: filter anyway, the list is empty
        m_pipeline->addItem(pipelineName, pipelineName);
    m_pipeline->setCurrentIndex(std::max(0, m_pipeline->findData(pipelineName)));
}

void RunsPanel::setStateFilter(const QString &state)
{
    m_state->setCurrentIndex(std::max(0, m_state->findData(state)));
}

void RunsPanel::setExperimentFilter(const QString &experiment)
{
    m_experiment->setCurrentIndex(std::max(0, m_experiment->findData(experiment)));
}

void RunsPanel::setBackendFilter(const QString &backend)
{
    m_backend->setCurrentIndex(std::max(0, m_backend->findData(backend)));
}

void RunsPanel::applyFilter()
{
    if (m_filling)
        return;
    const QString current = currentRun();
    const QStringList selected = selectedRuns();
    const QString backend = m_backend->currentData().toString();
    const QString pipeline = m_pipeline->currentData().toString();
    const QString experiment = m_experiment->currentData().toString();
    const QString state = m_state->currentData().toString();
    m_filling = true;
    m_list->clear();
    for (const RunGraph &r : m_runs) {
        const QString id = QString::fromStdString(r.id);
        if (!backend.isEmpty() && QString::fromStdString(r.backend) != backend)
            continue;
        if (!pipeline.isEmpty() && QString::fromStdString(r.pipelineName) != pipeline)
            continue;
        if (!experiment.isEmpty() && QString::fromStdString(r.experiment) != experiment)
            continue;
        if (!state.isEmpty() && RunStateStyle::text(r.state) != state)
            continue;
        const std::int64_t end = r.finishedMs ? r.finishedMs : (!isTerminal(r.state) ? epochMs() : 0);
        auto *item =
            new QTreeWidgetItem(m_list, {QString::fromStdString(r.name), RunStateStyle::text(r.state),
                                         QDateTime::fromMSecsSinceEpoch(r.createdMs).toString("MMM d HH:mm"),
                                         QString::fromStdString(formatElapsed(r.createdMs, end)),
                                         QString::fromStdString(r.backend)});
        item->setData(NameColumn, Qt::UserRole, id);
        item->setIcon(StateColumn, stateIcon(r.state));
        item->setToolTip(NameColumn,
                         tr("%1\npipeline %2\nrun %3%4")
                             .arg(QString::fromStdString(r.name), QString::fromStdString(r.pipelineName), id,
                                  r.experiment.empty()
                                      ? QString()
                                      : tr("\nexperiment %1").arg(QString::fromStdString(r.experiment))));
        if (!r.message.empty())
            item->setToolTip(StateColumn, QString::fromStdString(r.message));
        if (id == current)
            m_list->setCurrentItem(item, 0, QItemSelectionModel::NoUpdate);
        item->setSelected(selected.contains(id));
    }
    m_filling = false;
    updateButtons();
}

void RunsPanel::setCurrentRun(const QString &runId)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        if (item->data(NameColumn, Qt::UserRole).toString() == runId) {
            m_filling = true; // the caller already shows it
            m_list->setCurrentItem(item);
            m_filling = false;
            updateButtons();
            return;
        }
    }
}

QString RunsPanel::currentRun() const
{
    QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(NameColumn, Qt::UserRole).toString() : QString();
}

QStringList RunsPanel::selectedRuns() const
{
    QStringList ids;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        if (m_list->topLevelItem(i)->isSelected())
            ids << m_list->topLevelItem(i)->data(NameColumn, Qt::UserRole).toString();
    return ids;
}

QStringList RunsPanel::visibleRuns() const
{
    QStringList ids;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        ids << m_list->topLevelItem(i)->data(NameColumn, Qt::UserRole).toString();
    return ids;
}

void RunsPanel::updateButtons()
{
    m_compare->setEnabled(selectedRuns().size() >= 2);
    const QString id = currentRun();
    bool running = false, rerunnable = false;
    for (const RunGraph &r : m_runs)
        if (QString::fromStdString(r.id) == id) {
            running = !isTerminal(r.state);
            rerunnable = !m_rerunnable || m_rerunnable(r);
        }
    m_cancel->setEnabled(running);
    m_rerun->setEnabled(rerunnable);
}

void RunsPanel::refreshDurations()
{
    std::map<QString, std::int64_t> going; // run id -> created; few runs go on at once
    for (const RunGraph &r : m_runs)
        if (!isTerminal(r.state))
            going.emplace(QString::fromStdString(r.id), r.createdMs);
    if (going.empty())
        return;
    const std::int64_t now = epochMs();
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        if (auto it = going.find(item->data(NameColumn, Qt::UserRole).toString()); it != going.end())
            item->setText(DurationColumn, QString::fromStdString(formatElapsed(it->second, now)));
    }
}

void RunsPanel::setRerunnable(std::function<bool(const RunGraph &)> rerunnable)
{
    m_rerunnable = std::move(rerunnable);
    updateButtons();
}

} // namespace pw
