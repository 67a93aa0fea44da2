// SPDX-License-Identifier: Apache-2.0
#include "inspector/tasksettingsform.h"

#include "document/commands/settingscommands.h"
#include "document/pipelinedocument.h"
#include "document/pipelineinfo.h"
#include "inspector/rowstable.h"
#include "inspector/valuetext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QUndoStack>
#include <QVBoxLayout>

namespace pw {

namespace {

void setText(QLineEdit *edit, const std::string &value)
{
    const QString v = QString::fromStdString(value);
    if (edit->text() != v && !edit->hasFocus())
        edit->setText(v);
}

std::string text(const QString &s)
{
    return s.trimmed().toStdString();
}

QWidget *row(QWidget *parent, QWidget *wide, QWidget *narrow)
{
    auto *w = new QWidget(parent);
    auto *l = new QHBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(wide, 1);
    l->addWidget(narrow);
    return w;
}

} // namespace

QStringList TaskSettingsForm::nodeSelectorPresets()
{
    const QStringList configured = QSettings().value("nodeSelectorPresets").toStringList();
    if (!configured.isEmpty())
        return configured;
    return {"cloud.google.com/gke-nodepool: high-memory-pool", "cloud.google.com/gke-nodepool: gpu-pool",
            "cloud.google.com/gke-accelerator: nvidia-tesla-t4", "cloud.google.com/gke-spot: true",
            "kubernetes.io/arch: amd64"};
}

TaskSettingsForm::TaskSettingsForm(PipelineDocument *doc, QWidget *parent) : QWidget(parent), m_doc(doc)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);

    auto *placement = new QGroupBox(tr("Node pool"), this);
    auto *pf = new QFormLayout(placement);
    m_pool = new QComboBox(placement);
    m_pool->setObjectName("task:nodePool");
    m_pool->setEditable(true);
    m_pool->setToolTip(tr("A node pool the pipeline defines; it expands to its node selector and tolerations"));
    m_pool->lineEdit()->setPlaceholderText(tr("none: type a name or pick a pool"));
    m_definePool = new QPushButton(placement);
    m_definePool->setObjectName("task:definePool");
    m_definePool->setToolTip(tr("Add this pool to the pipeline's node pools, with the task's node selector "
                                "and tolerations below as its own"));
    m_definePool->hide();
    pf->addRow(tr("Pool"), row(placement, m_pool, m_definePool));
    m_poolHint = new QLabel(placement);
    m_poolHint->setObjectName("task:poolHint");
    m_poolHint->setWordWrap(true);
    m_poolHint->setStyleSheet("color: palette(mid)");
    pf->addRow(QString(), m_poolHint);
    m_preset = new QComboBox(placement);
    m_preset->setObjectName("task:selectorPreset");
    pf->addRow(tr("Add selector"), m_preset);
    m_selector = new RowsTable("task:nodeSelector", {tr("Label"), tr("Value")}, placement);
    pf->addRow(tr("Node selector"), m_selector);
    m_tolerations =
        new RowsTable("task:tolerations", {tr("Key"), tr("Operator"), tr("Value"), tr("Effect")}, placement);
    pf->addRow(tr("Tolerations"), m_tolerations);
    outer->addWidget(placement);

    auto *resources = new QGroupBox(tr("Resources"), this);
    auto *rf = new QFormLayout(resources);
    m_cpuRequest = line("task:cpuRequest", "500m", "CPU request",
                        [](Task &t, const QString &v) { t.settings.resources.cpuRequest = text(v); });
    m_cpuLimit = line("task:cpuLimit", "2", "CPU limit",
                      [](Task &t, const QString &v) { t.settings.resources.cpuLimit = text(v); });
    m_memRequest = line("task:memoryRequest", "4Gi", "memory request",
                        [](Task &t, const QString &v) { t.settings.resources.memoryRequest = text(v); });
    m_memLimit = line("task:memoryLimit", "8Gi", "memory limit",
                      [](Task &t, const QString &v) { t.settings.resources.memoryLimit = text(v); });
    rf->addRow(tr("CPU request"), m_cpuRequest);
    rf->addRow(tr("CPU limit"), m_cpuLimit);
    rf->addRow(tr("Memory request"), m_memRequest);
    rf->addRow(tr("Memory limit"), m_memLimit);
    m_accelerator = new QComboBox(resources);
    m_accelerator->setObjectName("task:accelerator");
    m_accelerator->setEditable(true);
    m_accelerator->addItems({"", "nvidia.com/gpu", "NVIDIA_TESLA_T4", "NVIDIA_L4", "NVIDIA_TESLA_V100",
                             "NVIDIA_TESLA_A100", "TPU_V3"});
    rf->addRow(tr("Accelerator"), m_accelerator);
    m_acceleratorCount = line("task:acceleratorCount", "1", "accelerator count",
                              [](Task &t, const QString &v) { t.settings.resources.acceleratorCount = text(v); });
    rf->addRow(tr("Accelerator count"), m_acceleratorCount);
    outer->addWidget(resources);

    auto *behaviour = new QGroupBox(tr("Retries, caching, timeout"), this);
    auto *bf = new QFormLayout(behaviour);
    m_retries = new QSpinBox(behaviour);
    m_retries->setObjectName("task:retries");
    m_retries->setRange(0, 100);
    bf->addRow(tr("Retries"), m_retries);
    m_backoff = line("task:backoff", "60s", "backoff",
                     [](Task &t, const QString &v) { t.settings.retry.backoffDuration = text(v); });
    m_backoffFactor = line("task:backoffFactor", "2.0", "backoff factor", [](Task &t, const QString &v) {
        bool ok = false;
        const double f = v.trimmed().toDouble(&ok);
        t.settings.retry.backoffFactor = ok ? std::optional<double>(f) : std::nullopt;
    });
    m_backoffMax = line("task:backoffMax", "1h", "max backoff",
                        [](Task &t, const QString &v) { t.settings.retry.backoffMaxDuration = text(v); });
    bf->addRow(tr("Backoff"), m_backoff);
    bf->addRow(tr("Backoff factor"), m_backoffFactor);
    bf->addRow(tr("Max backoff"), m_backoffMax);
    m_caching = new QCheckBox(tr("Reuse cached results"), behaviour);
    m_caching->setObjectName("task:caching");
    bf->addRow(tr("Caching"), m_caching);
    m_timeout = line("task:timeout", "30m", "timeout", [](Task &t, const QString &v) {
        if (auto s = valuetext::parseDuration(v))
            t.settings.timeoutSeconds = *s;
    });
    bf->addRow(tr("Timeout"), m_timeout);
    outer->addWidget(behaviour);

    connect(m_pool, &QComboBox::activated, this, [this] {
        edit("node pool", [this](Task &t) { t.settings.nodePool = text(m_pool->currentText()); });
    });
    connect(m_pool->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        edit("node pool", [this](Task &t) { t.settings.nodePool = text(m_pool->currentText()); });
    });
    connect(m_pool, &QComboBox::currentTextChanged, this, &TaskSettingsForm::updatePoolHint);
    connect(m_definePool, &QPushButton::clicked, this, &TaskSettingsForm::defineTypedPool);
    connect(m_preset, &QComboBox::activated, this, [this](int index) {
        const QString preset = m_preset->itemText(index);
        const int colon = preset.indexOf(':');
        if (index == 0 || colon < 0)
            return;
        edit("node selector", [&](Task &t) {
            t.settings.nodeSelector[text(preset.left(colon))] = text(preset.mid(colon + 1));
        });
        m_preset->setCurrentIndex(0);
    });
    connect(m_selector, &RowsTable::rowsEdited, this, [this] {
        edit("node selector", [this](Task &t) {
            t.settings.nodeSelector.clear();
            for (const QStringList &r : m_selector->rows())
                t.settings.nodeSelector[text(r[0])] = text(r[1]);
        });
    });
    connect(m_tolerations, &RowsTable::rowsEdited, this, [this] {
        edit("tolerations", [this](Task &t) {
            t.settings.tolerations.clear();
            for (const QStringList &r : m_tolerations->rows())
                t.settings.tolerations.push_back({text(r[0]), text(r[1]), text(r[2]), text(r[3]), std::nullopt});
        });
    });
    connect(m_accelerator, &QComboBox::activated, this, [this] {
        edit("accelerator", [this](Task &t) { t.settings.resources.acceleratorType = text(m_accelerator->currentText()); });
    });
    connect(m_accelerator->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        edit("accelerator", [this](Task &t) { t.settings.resources.acceleratorType = text(m_accelerator->currentText()); });
    });
    connect(m_retries, &QSpinBox::valueChanged, this,
            [this](int v) { edit("retries", [v](Task &t) { t.settings.retry.maxRetries = v; }); });
    connect(m_caching, &QCheckBox::toggled, this,
            [this](bool on) { edit("caching", [on](Task &t) { t.settings.caching = on; }); });
}

QLineEdit *TaskSettingsForm::line(const QString &name, const QString &placeholder, const QString &field,
                                  const std::function<void(Task &, const QString &)> &apply)
{
    auto *e = new QLineEdit(this);
    e->setObjectName(name);
    e->setPlaceholderText(placeholder);
    connect(e, &QLineEdit::editingFinished, this, [this, e, field, apply] {
        edit(field, [&](Task &t) { apply(t, e->text()); });
    });
    return e;
}

void TaskSettingsForm::edit(const QString &field, const std::function<void(Task &)> &change)
{
    pushTaskEdit(m_doc, m_taskId, field, change);
}

void TaskSettingsForm::updatePoolHint()
{
    const Pipeline &p = m_doc->pipeline();
    const std::string typed = text(m_pool->currentText());
    const bool defined = std::any_of(p.nodePools.begin(), p.nodePools.end(),
                                     [&](const NodePool &pool) { return pool.name == typed; });
    m_definePool->setVisible(!typed.empty() && !defined);
    m_definePool->setText(tr("Define “%1”").arg(QString::fromStdString(typed)));
    if (!typed.empty() && !defined)
        m_poolHint->setText(tr("“%1” is not one of the pipeline's node pools yet: Define adds it.")
                                .arg(QString::fromStdString(typed)));
    else if (p.nodePools.empty())
        m_poolHint->setText(tr("The pipeline defines no node pools: type a name to define one here, or "
                               "set a node selector below."));
    else
        m_poolHint->clear();
    m_poolHint->setVisible(!m_poolHint->text().isEmpty());
}

void TaskSettingsForm::defineTypedPool()
{
    const Task *t = m_doc->task(m_taskId);
    const std::string name = text(m_pool->currentText());
    if (!t || name.empty())
        return;
    // The task's own placement becomes the pool's, and the task uses the pool.
    PipelineInfo info = PipelineInfo::of(m_doc->pipeline());
    info.nodePools.push_back({name, t->settings.nodeSelector, t->settings.tolerations});
    QUndoStack *stack = m_doc->undoStack();
    stack->beginMacro(tr("Define node pool %1").arg(QString::fromStdString(name)));
    stack->push(new SetPipelineInfoCommand(m_doc, info, tr("node pools")));
    edit("node pool", [&](Task &task) {
        task.settings.nodePool = name;
        task.settings.nodeSelector.clear();
        task.settings.tolerations.clear();
    });
    stack->endMacro();
}

void TaskSettingsForm::setTask(const QString &taskId)
{
    m_taskId = taskId;
    load();
}

void TaskSettingsForm::load()
{
    const Task *t = m_doc->task(m_taskId);
    if (!t)
        return;
    const ExecutionSettings &s = t->settings;
    {
        const QSignalBlocker b1(m_pool), b2(m_preset), b3(m_accelerator), b4(m_retries), b5(m_caching);
        m_pool->clear();
        m_pool->addItem(QString()); // no pool; the line edit's placeholder says so
        for (const NodePool &p : m_doc->pipeline().nodePools)
            m_pool->addItem(QString::fromStdString(p.name));
        m_pool->setCurrentText(QString::fromStdString(s.nodePool));
        updatePoolHint();
        m_preset->clear();
        m_preset->addItem(tr("Choose a preset…"));
        m_preset->addItems(nodeSelectorPresets());
        m_accelerator->setCurrentText(QString::fromStdString(s.resources.acceleratorType));
        m_retries->setValue(s.retry.maxRetries);
        m_caching->setChecked(s.caching);
    }
    QList<QStringList> selector;
    for (const auto &[k, v] : s.nodeSelector)
        selector << QStringList{QString::fromStdString(k), QString::fromStdString(v)};
    m_selector->setRows(selector);
    QList<QStringList> tolerations;
    for (const Toleration &tol : s.tolerations)
        tolerations << QStringList{QString::fromStdString(tol.key), QString::fromStdString(tol.op),
                                   QString::fromStdString(tol.value), QString::fromStdString(tol.effect)};
    m_tolerations->setRows(tolerations);
    setText(m_cpuRequest, s.resources.cpuRequest);
    setText(m_cpuLimit, s.resources.cpuLimit);
    setText(m_memRequest, s.resources.memoryRequest);
    setText(m_memLimit, s.resources.memoryLimit);
    setText(m_acceleratorCount, s.resources.acceleratorCount);
    setText(m_backoff, s.retry.backoffDuration);
    setText(m_backoffFactor, s.retry.backoffFactor ? QString::number(*s.retry.backoffFactor).toStdString() : "");
    setText(m_backoffMax, s.retry.backoffMaxDuration);
    setText(m_timeout, valuetext::formatDuration(s.timeoutSeconds).toStdString());
}

} // namespace pw
