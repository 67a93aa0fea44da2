// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QWidget>

class QFormLayout;
class QLabel;
class QLineEdit;

namespace pw {

class BindingEditor;
class PipelineDocument;
class TaskEnvForm;
class TaskSettingsForm;

// The inspector page of one task: its name, one binding editor per input of
// its component, then where and how it runs. Widgets are built when the
// selection changes and only refilled when the document changes, so an
// undo never steals the focus from the field being edited.
class TaskInspector final : public QWidget {
    Q_OBJECT
public:
    explicit TaskInspector(PipelineDocument *doc, QWidget *parent = nullptr);
    void setTask(const QString &taskId);
    QString taskId() const { return m_taskId; }
    BindingEditor *argumentEditor(const QString &input) const { return m_arguments.value(input); }

private:
    void rebuildArguments();
    void load();

    PipelineDocument *m_doc;
    QString m_taskId;
    QLabel *m_title;
    QLineEdit *m_displayName;
    QLabel *m_component;
    QWidget *m_argumentsBox;
    QFormLayout *m_argumentsForm;
    QHash<QString, BindingEditor *> m_arguments;
    TaskSettingsForm *m_settings;
    TaskEnvForm *m_env;
};

} // namespace pw
