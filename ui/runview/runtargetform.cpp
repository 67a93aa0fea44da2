// SPDX-License-Identifier: Apache-2.0
#include "runview/runtargetform.h"

#include "runs/await.h"
#include "runs/backendregistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace pw {

RunTargetForm::RunTargetForm(BackendRegistry *registry, QWidget *parent) : QWidget(parent), m_registry(registry)
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_backend = new QComboBox(this);
    m_backend->setObjectName("backend");
    for (const BackendConfig &c : registry->configs()) {
        QString label = QString::fromStdString(c.name);
        if (c.kind != "local")
            label += QStringLiteral("  (%1%2)").arg(QString::fromStdString(c.kind),
                                                    c.url.empty() ? QString() : ", " + QString::fromStdString(c.url));
        else
            label += tr("  (this machine)");
        m_backend->addItem(label, QString::fromStdString(c.name));
    }
    m_experiment = new QComboBox(this);
    m_experiment->setObjectName("experiment");
    m_experiment->setEditable(true);
    m_experiment->lineEdit()->setPlaceholderText(tr("the backend's default; a new name creates one"));
    m_name = new QLineEdit(this);
    m_name->setObjectName("runName");
    m_name->setPlaceholderText(tr("<pipeline> <date and time>"));
    m_serviceAccount = new QLineEdit(this);
    m_serviceAccount->setObjectName("serviceAccount");
    m_serviceAccount->setPlaceholderText(tr("the backend's default identity"));
    m_pipelineRoot = new QLineEdit(this);
    m_pipelineRoot->setObjectName("pipelineRoot");
    m_pipelineRoot->setPlaceholderText(tr("the pipeline's root, else the backend's (gs://, s3://, minio://)"));
    m_cache = new QCheckBox(tr("Reuse outputs of identical earlier tasks (caching)"), this);
    m_cache->setObjectName("cache");
    m_cache->setChecked(true);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setStyleSheet("color: palette(mid)");
    form->addRow(tr("Backend"), m_backend);
    form->addRow(tr("Experiment"), m_experiment);
    form->addRow(tr("Run name"), m_name);
    form->addRow(tr("Service account"), m_serviceAccount);
    form->addRow(tr("Output folder"), m_pipelineRoot);
    form->addRow(QString(), m_cache);
    form->addRow(QString(), m_note);
    connect(m_backend, &QComboBox::currentIndexChanged, this, &RunTargetForm::onBackendChanged);
    onBackendChanged();
}

QString RunTargetForm::backend() const { return m_backend->currentData().toString(); }

void RunTargetForm::setBackend(const QString &name)
{
    const int i = m_backend->findData(name);
    if (i >= 0)
        m_backend->setCurrentIndex(i);
}

void RunTargetForm::setExperiment(const QString &name) { m_experiment->setCurrentText(name); }

void RunTargetForm::fill(RunSettings &settings) const
{
    settings.runName = m_name->text().trimmed().toStdString();
    settings.cache = m_cache->isChecked();
    if (m_experiment->isEnabled())
        settings.experiment = m_experiment->currentText().trimmed().toStdString();
    if (m_serviceAccount->isEnabled())
        settings.serviceAccount = m_serviceAccount->text().trimmed().toStdString();
    if (m_pipelineRoot->isEnabled())
        settings.pipelineRoot = m_pipelineRoot->text().trimmed().toStdString();
}

void RunTargetForm::onBackendChanged()
{
    auto b = m_registry->backend(backend().toStdString());
    const bool ok = b.ok();
    const bool experiments = ok && (*b)->can(Capability::Experiments);
    m_experiment->setEnabled(experiments);
    m_serviceAccount->setEnabled(ok && (*b)->can(Capability::ServiceAccount));
    m_pipelineRoot->setEnabled(ok && (*b)->kind() != QLatin1String("local")); // local runs keep outputs in the run folder
    m_note->setText(ok ? QString() : QString::fromStdString(b.error().message));
    const QString keep = m_experiment->currentText();
    m_experiment->clear();
    m_experiment->setCurrentText(keep);
    if (!experiments)
        return;
    // The backend's experiments, as they arrive (the dialog stays usable meanwhile).
    const QString name = backend();
    whenReady((*b)->listExperiments(), this, [this, name](Result<std::vector<Experiment>> list) {
        if (name != backend())
            return;
        if (!list.ok()) {
            m_note->setText(tr("Cannot list experiments: %1").arg(QString::fromStdString(list.error().message)));
            return;
        }
        const QString typed = m_experiment->currentText();
        for (const Experiment &e : *list)
            if (!e.archived)
                m_experiment->addItem(QString::fromStdString(e.name));
        m_experiment->setCurrentText(typed);
    });
}

} // namespace pw
