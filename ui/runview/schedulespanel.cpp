// SPDX-License-Identifier: Apache-2.0
#include "runview/schedulespanel.h"

#include "runs/await.h"
#include "runs/backendregistry.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pw {

SchedulesPanel::SchedulesPanel(BackendRegistry *registry, QWidget *parent) : QWidget(parent), m_registry(registry)
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_backend = new QComboBox(this);
    m_backend->setObjectName("scheduleBackend");
    auto *refreshButton = new QPushButton(tr("Refresh"), this);
    m_new = new QPushButton(tr("New for This Pipeline…"), this);
    m_new->setObjectName("newSchedule");
    top->addWidget(new QLabel(tr("Backend"), this));
    top->addWidget(m_backend, 1);
    top->addWidget(refreshButton);
    top->addWidget(m_new);
    layout->addLayout(top);
    m_list = new QTreeWidget(this);
    m_list->setObjectName("scheduleList");
    m_list->setHeaderLabels({tr("Schedule"), tr("When"), tr("State"), tr("At once"), tr("Created")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    layout->addWidget(m_list, 1);
    auto *buttons = new QHBoxLayout;
    m_toggle = new QPushButton(tr("Pause"), this);
    m_toggle->setObjectName("toggleSchedule");
    m_delete = new QPushButton(tr("Delete"), this);
    m_delete->setObjectName("deleteSchedule");
    buttons->addStretch();
    buttons->addWidget(m_toggle);
    buttons->addWidget(m_delete);
    layout->addLayout(buttons);
    m_note = new QLabel(this);
    m_note->setObjectName("scheduleNote");
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_note);

    connect(m_backend, &QComboBox::currentIndexChanged, this, &SchedulesPanel::refresh);
    connect(refreshButton, &QPushButton::clicked, this, &SchedulesPanel::refresh);
    connect(m_new, &QPushButton::clicked, this, [this] { emit newRequested(backend()); });
    connect(m_toggle, &QPushButton::clicked, this, &SchedulesPanel::toggleSelected);
    connect(m_delete, &QPushButton::clicked, this, &SchedulesPanel::deleteSelected);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        m_toggle->setEnabled(item);
        m_delete->setEnabled(item);
        if (item)
            m_toggle->setText(item->data(2, Qt::UserRole).toBool() ? tr("Pause") : tr("Resume"));
    });
    reload();
}

QString SchedulesPanel::backend() const { return m_backend->currentData().toString(); }

void SchedulesPanel::setBackend(const QString &name)
{
    const int i = m_backend->findData(name);
    if (i >= 0)
        m_backend->setCurrentIndex(i);
}

void SchedulesPanel::setNote(const QString &text) { m_note->setText(text); }

void SchedulesPanel::reload()
{
    const QString keep = backend();
    const QSignalBlocker block(m_backend);
    m_backend->clear();
    for (const BackendConfig &c : m_registry->configs()) {
        auto b = m_registry->backend(c.name);
        if (b.ok() && (*b)->can(Capability::Schedules))
            m_backend->addItem(QString::fromStdString(c.name), QString::fromStdString(c.name));
    }
    setBackend(keep);
    const bool any = m_backend->count() > 0;
    m_new->setEnabled(any);
    if (!any)
        m_note->setText(tr("No configured backend keeps schedules; add a KFP, Argo or Vertex backend "
                           "(Run > Backends…)."));
    refresh();
}

void SchedulesPanel::refresh()
{
    m_list->clear();
    m_toggle->setEnabled(false);
    m_delete->setEnabled(false);
    auto b = m_registry->backend(backend().toStdString());
    if (!b.ok())
        return;
    const QString name = backend();
    whenReady((*b)->listSchedules(), this, [this, name](Result<std::vector<Schedule>> list) {
        if (name != backend())
            return;
        if (!list.ok()) {
            m_note->setText(QString::fromStdString(list.error().message));
            return;
        }
        m_schedules = std::move(list).value();
        m_list->clear();
        for (const Schedule &s : m_schedules) {
            const QString when = s.intervalSeconds
                                     ? tr("every %1 s").arg(s.intervalSeconds)
                                     : QStringLiteral("%1 (%2)").arg(QString::fromStdString(s.cron),
                                                                     s.timeZone.empty()
                                                                         ? QStringLiteral("UTC")
                                                                         : QString::fromStdString(s.timeZone));
            auto *item = new QTreeWidgetItem(
                m_list, {QString::fromStdString(s.name), when, s.enabled ? tr("enabled") : tr("paused"),
                         QString::number(s.maxConcurrency),
                         s.createdMs ? QDateTime::fromMSecsSinceEpoch(s.createdMs).toString("MMM d HH:mm") : QString()});
            item->setData(0, Qt::UserRole, QString::fromStdString(s.id));
            item->setData(2, Qt::UserRole, s.enabled);
        }
        emit refreshed();
    });
}

void SchedulesPanel::toggleSelected()
{
    QTreeWidgetItem *item = m_list->currentItem();
    auto b = m_registry->backend(backend().toStdString());
    if (!item || !b.ok())
        return;
    const bool enable = !item->data(2, Qt::UserRole).toBool();
    whenReady((*b)->setScheduleEnabled(item->data(0, Qt::UserRole).toString().toStdString(), enable), this,
              [this](Result<Done> done) {
                  if (!done.ok())
                      m_note->setText(QString::fromStdString(done.error().message));
                  refresh();
              });
}

void SchedulesPanel::deleteSelected()
{
    QTreeWidgetItem *item = m_list->currentItem();
    auto b = m_registry->backend(backend().toStdString());
    if (!item || !b.ok())
        return;
    if (QMessageBox::question(this, tr("Delete schedule"), tr("Delete schedule %1? Runs it started stay.").arg(item->text(0)),
                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes)
        return;
    whenReady((*b)->deleteSchedule(item->data(0, Qt::UserRole).toString().toStdString()), this,
              [this](Result<Done> done) {
                  if (!done.ok())
                      m_note->setText(QString::fromStdString(done.error().message));
                  refresh();
              });
}

} // namespace pw
