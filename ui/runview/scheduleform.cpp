// SPDX-License-Identifier: Apache-2.0
#include "runview/scheduleform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QTimeZone>

namespace pw {

ScheduleForm::ScheduleForm(QWidget *parent) : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_name = new QLineEdit(this);
    m_name->setObjectName("scheduleName");
    m_name->setPlaceholderText(tr("<pipeline> <date and time>"));
    m_cron = new QLineEdit(this);
    m_cron->setObjectName("cron");
    m_cron->setPlaceholderText(tr("minute hour day month weekday, e.g. 0 6 * * *"));
    m_zone = new QComboBox(this);
    m_zone->setObjectName("timeZone");
    m_zone->setEditable(true);
    m_zone->addItem(QStringLiteral("UTC"));
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
        if (id.contains('/'))
            m_zone->addItem(QString::fromLatin1(id));
    const QByteArray local = QTimeZone::systemTimeZoneId();
    m_zone->setCurrentText(local.contains('/') ? QString::fromLatin1(local) : QStringLiteral("UTC"));
    m_interval = new QSpinBox(this);
    m_interval->setObjectName("interval");
    m_interval->setRange(0, 7 * 24 * 3600);
    m_interval->setSuffix(tr(" s"));
    m_interval->setSpecialValueText(tr("use the cron line"));
    m_concurrency = new QSpinBox(this);
    m_concurrency->setObjectName("maxConcurrency");
    m_concurrency->setRange(1, 10);
    m_catchUp = new QCheckBox(tr("Catch up on runs missed while paused or down"), this);
    m_catchUp->setChecked(true);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Cron"), m_cron);
    form->addRow(tr("Time zone"), m_zone);
    form->addRow(tr("Or every"), m_interval);
    form->addRow(tr("Runs at once"), m_concurrency);
    form->addRow(QString(), m_catchUp);
}

void ScheduleForm::fill(ScheduleRequest &request) const
{
    request.name = m_name->text().trimmed().toStdString();
    request.intervalSeconds = m_interval->value();
    request.cron = request.intervalSeconds ? std::string() : m_cron->text().trimmed().toStdString();
    request.timeZone = m_zone->currentText() == "UTC" ? std::string() : m_zone->currentText().toStdString();
    request.maxConcurrency = m_concurrency->value();
    request.catchUp = m_catchUp->isChecked();
}

QString ScheduleForm::problem() const
{
    if (m_interval->value() == 0 && m_cron->text().trimmed().isEmpty())
        return tr("A schedule needs a cron line or an interval");
    if (!m_zone->currentText().isEmpty() && m_zone->currentText() != "UTC" &&
        !QTimeZone(m_zone->currentText().toLatin1()).isValid())
        return tr("Unknown time zone %1").arg(m_zone->currentText());
    return {};
}

} // namespace pw
