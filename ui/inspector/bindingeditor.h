// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/binding.h"
#include "model/porttype.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLineEdit;
class QStackedWidget;
class QLabel;

namespace pw {

class PipelineDocument;

// Edits one binding: unset, a constant (checked against the port type), a
// pipeline parameter, an upstream task output (only those that fit and form
// no cycle are offered), a run-time value (run date with format and time
// zone, run name, ...) or the current loop item. Kinds it cannot edit
// (templates, one-of) are shown read-only.
class BindingEditor final : public QWidget {
    Q_OBJECT
public:
    enum Mode { Unset, Constant, Parameter, Upstream, RunValue, LoopItem, Other };

    BindingEditor(PipelineDocument *doc, const QString &name, QWidget *parent = nullptr);

    // `type`: the port bound to (nullopt: any); `consumer`: the task whose
    // input this is (to leave out outputs that would form a cycle); `loops`:
    // loop groups around the consumer.
    void setContext(std::optional<PortType> type, const QString &consumer, const QStringList &loops);
    // A condition's operand: parameters only (never an artifact), of `type`
    // when known, and no output of `insideTasks` (the tasks the condition guards).
    void setOperandContext(std::optional<PortType> type, const QStringList &insideTasks);
    void setBinding(const Binding &binding);
    Binding binding() const;
    Mode mode() const;
    void setMode(Mode mode);
    QLineEdit *constantEdit() const { return m_constant; }
    QComboBox *upstreamCombo() const { return m_upstream; }
    QComboBox *parameterCombo() const { return m_parameter; }

signals:
    void edited(const Binding &binding);

private:
    void fillChoices();
    // Whether a parameter or output of `type` may be bound here.
    bool offers(const PortType &type) const;
    void commit();
    void updateRunFields();
    void showPage(int page);

    PipelineDocument *m_doc;
    std::optional<PortType> m_type;
    QString m_consumer;
    QStringList m_loops;
    QStringList m_excludedTasks;
    bool m_parametersOnly = false;
    Binding m_current;
    bool m_loading = false;

    QComboBox *m_mode;
    QStackedWidget *m_stack;
    QLineEdit *m_constant;
    QComboBox *m_parameter;
    QComboBox *m_upstream;
    QComboBox *m_runKind;
    QLineEdit *m_runFormat;
    QComboBox *m_runZone;
    QComboBox *m_loop;
    QLineEdit *m_loopField;
    QLabel *m_other;
    QLabel *m_error;
};

} // namespace pw
