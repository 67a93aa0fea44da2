// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/runservice.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace pw {

class BackendRegistry;

// Where and how a run goes: the backend (local by default), its experiment,
// a run name, a service account and caching. Fields a backend cannot use are
// disabled (capabilities); experiments are read from the backend as it is chosen.
class RunTargetForm final : public QWidget {
    Q_OBJECT
public:
    RunTargetForm(BackendRegistry *registry, QWidget *parent = nullptr);

    QString backend() const;
    void setBackend(const QString &name);
    // The form's part of the settings (runName, experiment, serviceAccount, cache).
    void fill(RunSettings &settings) const;
    void setExperiment(const QString &name);

    QComboBox *backendBox() const { return m_backend; }
    QComboBox *experimentBox() const { return m_experiment; }

private:
    void onBackendChanged();

    BackendRegistry *m_registry;
    QComboBox *m_backend = nullptr;
    QComboBox *m_experiment = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_pipelineRoot = nullptr;
    QLineEdit *m_serviceAccount = nullptr;
    QCheckBox *m_cache = nullptr;
    QLabel *m_note = nullptr;
};

} // namespace pw
