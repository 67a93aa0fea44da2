// SPDX-License-Identifier: Apache-2.0
#include "settings/backendsdialog.h"

#include "runs/await.h"
#include "runs/backendregistry.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace pw {

namespace {

const std::pair<CredentialSource::Kind, const char *> kSources[] = {
    {CredentialSource::Kind::None, QT_TRANSLATE_NOOP("BackendsDialog", "None")},
    {CredentialSource::Kind::Env, QT_TRANSLATE_NOOP("BackendsDialog", "Environment variable")},
    {CredentialSource::Kind::File, QT_TRANSLATE_NOOP("BackendsDialog", "File")},
    {CredentialSource::Kind::Command, QT_TRANSLATE_NOOP("BackendsDialog", "Command")},
    {CredentialSource::Kind::Keyring, QT_TRANSLATE_NOOP("BackendsDialog", "System keyring entry")},
};

QString placeholderFor(CredentialSource::Kind kind)
{
    switch (kind) {
    case CredentialSource::Kind::Env:
        return QStringLiteral("KFP_TOKEN");
    case CredentialSource::Kind::File:
        return QStringLiteral("/var/run/secrets/kubeflow/pipelines/token");
    case CredentialSource::Kind::Command:
        return QStringLiteral("gcloud auth print-access-token");
    case CredentialSource::Kind::Keyring:
        return QStringLiteral("kfp-prod");
    case CredentialSource::Kind::None:
        break;
    }
    return {};
}

} // namespace

BackendsDialog::BackendsDialog(BackendRegistry *registry, std::string configPath, QWidget *parent)
    : QDialog(parent), m_registry(registry), m_path(std::move(configPath)), m_configs(registry->configs())
{
    setWindowTitle(tr("Backends"));
    resize(820, 520);
    auto *layout = new QVBoxLayout(this);
    auto *body = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    m_list = new QListWidget(this);
    m_list->setObjectName("backendList");
    left->addWidget(m_list, 1);
    auto *listButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"), this);
    add->setObjectName("addBackend");
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setObjectName("removeBackend");
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    left->addLayout(listButtons);
    body->addLayout(left, 1);

    auto *right = new QVBoxLayout;
    auto *general = new QGroupBox(tr("Backend"), this);
    auto *form = new QFormLayout(general);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_name = new QLineEdit(general);
    m_kind = new QComboBox(general);
    for (const QString &kind : registry->kinds())
        m_kind->addItem(kind, kind);
    m_url = new QLineEdit(general);
    m_url->setPlaceholderText(QStringLiteral("https://kfp.example.com"));
    m_namespace = new QLineEdit(general);
    m_namespace->setPlaceholderText(tr("Kubernetes namespace or Kubeflow profile"));
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Kind"), m_kind);
    form->addRow(tr("URL"), m_url);
    form->addRow(tr("Namespace"), m_namespace);
    auto *credentialRow = new QHBoxLayout;
    m_credentialKind = new QComboBox(general);
    for (const auto &[kind, label] : kSources)
        m_credentialKind->addItem(tr(label), int(kind));
    m_credential = new QLineEdit(general);
    credentialRow->addWidget(m_credentialKind);
    credentialRow->addWidget(m_credential, 1);
    form->addRow(tr("Credential from"), credentialRow);
    auto *note = new QLabel(tr("Pipewright stores where the credential comes from, never the credential."), general);
    note->setStyleSheet("color: palette(mid)");
    note->setWordWrap(true);
    form->addRow(QString(), note);
    right->addWidget(general);
    auto *settings = new QGroupBox(tr("Settings of this kind"), this);
    m_settingsForm = new QFormLayout(settings);
    m_settingsForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    right->addWidget(settings);
    auto *testRow = new QHBoxLayout;
    auto *testButton = new QPushButton(tr("Test"), this);
    testButton->setObjectName("testBackend");
    m_testResult = new QLabel(this);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    testRow->addWidget(testButton);
    testRow->addWidget(m_testResult, 1);
    right->addLayout(testRow);
    right->addStretch();
    body->addLayout(right, 2);
    layout->addLayout(body, 1);
    m_error = new QLabel(this);
    m_error->setStyleSheet("color: #c62828");
    m_error->setWordWrap(true);
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    layout->addWidget(buttons);

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        storeForm();
        showConfig(row);
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_loading)
            rebuildSettings(m_kind->currentData().toString());
    });
    connect(m_credentialKind, &QComboBox::currentIndexChanged, this, [this] {
        const auto kind = CredentialSource::Kind(m_credentialKind->currentData().toInt());
        m_credential->setEnabled(kind != CredentialSource::Kind::None);
        m_credential->setPlaceholderText(placeholderFor(kind));
    });
    connect(add, &QPushButton::clicked, this, &BackendsDialog::addBackend);
    connect(remove, &QPushButton::clicked, this, &BackendsDialog::removeBackend);
    connect(testButton, &QPushButton::clicked, this, &BackendsDialog::test);
    connect(buttons->button(QDialogButtonBox::Save), &QPushButton::clicked, this, [this] {
        if (auto saved = save(); !saved.ok())
            m_error->setText(QString::fromStdString(saved.error().toString()));
        else
            m_error->setText(tr("Saved to %1").arg(QString::fromStdString(m_path)));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    fillList();
    m_list->setCurrentRow(0);
}

void BackendsDialog::fillList()
{
    m_loading = true;
    m_list->clear();
    for (const BackendConfig &c : m_configs)
        m_list->addItem(QStringLiteral("%1  (%2)").arg(QString::fromStdString(c.name), QString::fromStdString(c.kind)));
    m_loading = false;
}

void BackendsDialog::select(const QString &name)
{
    for (std::size_t i = 0; i < m_configs.size(); ++i)
        if (QString::fromStdString(m_configs[i].name) == name)
            m_list->setCurrentRow(int(i));
}

QWidget *BackendsDialog::settingEditor(const QString &key) const
{
    const auto it = m_settingEditors.find(key);
    return it == m_settingEditors.end() ? nullptr : it->second;
}

void BackendsDialog::rebuildSettings(const QString &kind)
{
    while (m_settingsForm->rowCount() > 0)
        m_settingsForm->removeRow(0);
    m_settingEditors.clear();
    const BackendFactory *factory = m_registry->factory(kind);
    if (!factory)
        return;
    for (const SettingSpec &spec : factory->settings()) {
        QWidget *editor = nullptr;
        if (!spec.choices.empty()) {
            auto *box = new QComboBox;
            box->addItem(tr("(default)"), QString());
            for (const std::string &c : spec.choices)
                box->addItem(QString::fromStdString(c), QString::fromStdString(c));
            editor = box;
        } else {
            editor = new QLineEdit;
        }
        editor->setToolTip(QString::fromStdString(spec.description));
        if (auto *line = qobject_cast<QLineEdit *>(editor))
            line->setPlaceholderText(QString::fromStdString(spec.description));
        m_settingsForm->addRow(QString::fromStdString(spec.key), editor);
        m_settingEditors[QString::fromStdString(spec.key)] = editor;
    }
}

void BackendsDialog::showConfig(int row)
{
    m_row = row;
    if (row < 0 || row >= int(m_configs.size()))
        return;
    const BackendConfig &c = m_configs[std::size_t(row)];
    m_loading = true;
    m_name->setText(QString::fromStdString(c.name));
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(QString::fromStdString(c.kind))));
    m_url->setText(QString::fromStdString(c.url));
    m_namespace->setText(QString::fromStdString(c.ns));
    m_credentialKind->setCurrentIndex(std::max(0, m_credentialKind->findData(int(c.credential.kind))));
    m_credential->setText(QString::fromStdString(c.credential.ref));
    m_loading = false;
    rebuildSettings(QString::fromStdString(c.kind));
    for (const auto &[key, value] : c.settings) {
        QWidget *editor = settingEditor(QString::fromStdString(key));
        if (auto *box = qobject_cast<QComboBox *>(editor))
            box->setCurrentIndex(std::max(0, box->findData(QString::fromStdString(value))));
        else if (auto *line = qobject_cast<QLineEdit *>(editor))
            line->setText(QString::fromStdString(value));
    }
    const bool local = c.name == "local";
    m_name->setReadOnly(local); // the local engine is always there
    m_testResult->clear();
}

BackendConfig BackendsDialog::current() const
{
    BackendConfig c;
    c.name = m_name->text().trimmed().toStdString();
    c.kind = m_kind->currentData().toString().toStdString();
    c.url = m_url->text().trimmed().toStdString();
    c.ns = m_namespace->text().trimmed().toStdString();
    c.credential.kind = CredentialSource::Kind(m_credentialKind->currentData().toInt());
    c.credential.ref = c.credential.kind == CredentialSource::Kind::None ? std::string()
                                                                          : m_credential->text().trimmed().toStdString();
    for (const auto &[key, editor] : m_settingEditors) {
        QString value;
        if (auto *box = qobject_cast<QComboBox *>(editor))
            value = box->currentData().toString();
        else if (auto *line = qobject_cast<QLineEdit *>(editor))
            value = line->text().trimmed();
        if (!value.isEmpty())
            c.settings[key.toStdString()] = value.toStdString();
    }
    return c;
}

void BackendsDialog::storeForm()
{
    if (m_loading || m_row < 0 || m_row >= int(m_configs.size()))
        return;
    m_configs[std::size_t(m_row)] = current();
    if (QListWidgetItem *item = m_list->item(m_row))
        item->setText(QStringLiteral("%1  (%2)").arg(m_name->text(), m_kind->currentText()));
}

void BackendsDialog::addBackend()
{
    storeForm();
    BackendConfig c;
    c.name = "backend-" + std::to_string(m_configs.size());
    c.kind = m_registry->kinds().contains("kfp") ? "kfp" : m_kind->itemData(0).toString().toStdString();
    m_configs.push_back(c);
    fillList();
    m_list->setCurrentRow(int(m_configs.size()) - 1);
    m_name->setFocus();
    m_name->selectAll();
}

void BackendsDialog::removeBackend()
{
    if (m_row < 0 || m_row >= int(m_configs.size()) || m_configs[std::size_t(m_row)].name == "local")
        return;
    m_configs.erase(m_configs.begin() + m_row);
    m_row = -1;
    fillList();
    m_list->setCurrentRow(0);
}

Result<bool> BackendsDialog::save()
{
    storeForm();
    std::map<std::string, int> names;
    for (const BackendConfig &c : m_configs) {
        if (!isValidBackendName(c.name))
            return Error{"a backend name is letters, digits, '-', '_' and '.' (got '" + c.name + "')", {}};
        if (++names[c.name] > 1)
            return Error{"two backends are named '" + c.name + "'", {}};
        if (const BackendFactory *f = m_registry->factory(QString::fromStdString(c.kind)))
            if (auto ok = f->check(c); !ok.ok())
                return Error{c.name + ": " + ok.error().message, {}};
    }
    std::vector<BackendConfig> toWrite;
    for (const BackendConfig &c : m_configs)
        if (!(c.name == "local" && c.kind == "local" && c.settings.empty()))
            toWrite.push_back(c); // the plain local backend needs no line
    if (auto saved = BackendConfigFile::save(m_path, toWrite); !saved.ok())
        return saved;
    m_registry->setConfigs(m_configs);
    return true;
}

void BackendsDialog::test()
{
    storeForm();
    const BackendConfig config = current();
    const BackendFactory *factory = m_registry->factory(QString::fromStdString(config.kind));
    if (!factory) {
        emit testFinished(tr("No plugin provides backends of kind %1").arg(QString::fromStdString(config.kind)), false);
        return;
    }
    auto backend = factory->create(config);
    if (!backend.ok()) {
        m_testResult->setText(QString::fromStdString(backend.error().message));
        emit testFinished(m_testResult->text(), false);
        return;
    }
    m_testResult->setText(tr("Asking %1…").arg(QString::fromStdString(config.url.empty() ? config.name : config.url)));
    // The backend lives until its answer came.
    std::shared_ptr<Backend> probe(std::move(backend).value().release());
    whenReady(probe->probe(), this, [this, probe](Result<ServerInfo> info) {
        if (!info.ok()) {
            m_testResult->setText(QString::fromStdString(info.error().message));
            m_testResult->setStyleSheet("color: #c62828");
            emit testFinished(m_testResult->text(), false);
            return;
        }
        QString text = tr("Connected: %1").arg(QString::fromStdString(info->version));
        if (!info->api.empty())
            text += tr(", API %1").arg(QString::fromStdString(info->api));
        if (!info->detail.empty())
            text += ", " + QString::fromStdString(info->detail);
        m_testResult->setText(text);
        m_testResult->setStyleSheet("color: #2e7d32");
        emit testFinished(text, true);
    });
}

} // namespace pw
