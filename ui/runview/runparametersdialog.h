// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "runs/runservice.h"

#include <QDialog>

#include <map>
#include <string>
#include <vector>

class QLabel;
class QWidget;

namespace pw {

class BackendRegistry;
class RunTargetForm;
class ScheduleForm;

// Everything a run needs before it starts: with a registry, where it goes
// (backend, experiment, run name, service account, caching); then one typed
// editor per parameter (line edit, number field, check box, JSON for lists
// and structs) with its description, prefilled with what was used for this
// pipeline last time, else the defaults. values() is what `pipewright run
// --param` would receive, so the same core parsing and checks apply.
class RunParametersDialog final : public QDialog {
    Q_OBJECT
public:
    enum class Mode { Run, Schedule };
    // Schedule mode adds when the runs happen (cron in a time zone, or an
    // interval; concurrency; catch-up) and creates a recurring run instead.
    explicit RunParametersDialog(const Pipeline &pipeline, BackendRegistry *registry = nullptr,
                                 QWidget *parent = nullptr, Mode mode = Mode::Run);

    // NAME -> text, only for parameters that have a value.
    std::map<std::string, std::string> values() const;
    // values() plus the target form's fields.
    RunSettings settings() const;
    // The chosen backend ("local" without a registry).
    QString backend() const;
    RunTargetForm *target() const { return m_target; }
    // Schedule mode: the schedule's own fields (its run is filled by the caller).
    ScheduleRequest schedule() const;
    ScheduleForm *scheduleForm() const { return m_schedule; }
    void setValues(const std::map<std::string, std::string> &values);
    QWidget *editor(const QString &name) const;

    void accept() override;

private:
    struct Field {
        PortSpec spec;
        QWidget *editor = nullptr;
    };
    QString textOf(const Field &f) const;
    void restoreLastUsed();
    void saveLastUsed() const;

    std::string m_pipelineName;
    std::vector<Field> m_fields;
    RunTargetForm *m_target = nullptr;
    ScheduleForm *m_schedule = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace pw
