// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backendconfig.h"

#include <QDialog>

#include <map>
#include <vector>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace pw {

class BackendRegistry;

// Settings > Backends: the named backends of backends.yaml (the file the CLI
// reads too). Add, edit, test (the server's version and API) and remove;
// a kind's own settings get fields from its factory. A credential is chosen
// by where it comes from; the dialog never asks for, shows or stores a secret.
class BackendsDialog final : public QDialog {
    Q_OBJECT
public:
    BackendsDialog(BackendRegistry *registry, std::string configPath, QWidget *parent = nullptr);

    // What the form holds now (for tests).
    BackendConfig current() const;
    void select(const QString &name);
    // Writes backends.yaml and hands the configurations to the registry.
    Result<bool> save();
    // Probes the selected backend; testFinished(text, ok) follows.
    void test();

    QListWidget *list() const { return m_list; }
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *kindBox() const { return m_kind; }
    QLineEdit *urlEdit() const { return m_url; }
    QComboBox *credentialBox() const { return m_credentialKind; }
    QLineEdit *credentialEdit() const { return m_credential; }
    QWidget *settingEditor(const QString &key) const;
    QLabel *testResult() const { return m_testResult; }

signals:
    void testFinished(const QString &text, bool ok);

private:
    void fillList();
    void showConfig(int row);
    void storeForm();
    void rebuildSettings(const QString &kind);
    void addBackend();
    void removeBackend();

    BackendRegistry *m_registry;
    std::string m_path;
    std::vector<BackendConfig> m_configs;
    int m_row = -1;
    bool m_loading = false;
    QListWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_namespace = nullptr;
    QComboBox *m_credentialKind = nullptr;
    QLineEdit *m_credential = nullptr;
    QFormLayout *m_settingsForm = nullptr;
    std::map<QString, QWidget *> m_settingEditors;
    QLabel *m_testResult = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace pw
