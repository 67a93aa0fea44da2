// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/group.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace pw {

class BindingEditor;
class PipelineDocument;

// The inspector page of a group frame: its name, and by kind the condition
// (left operand, comparison, right operand), the loop's items and
// parallelism, or the exit handler's exit task.
class GroupInspector final : public QWidget {
    Q_OBJECT
public:
    explicit GroupInspector(PipelineDocument *doc, QWidget *parent = nullptr);
    void setGroup(const QString &groupId);
    void load();

private:
    // Says when the two sides cannot be compared (an Integer with 'true').
    void showConditionWarning(const Condition &cond);
    void edit(const QString &field, const std::function<void(Group &)> &change);

    PipelineDocument *m_doc;
    QString m_groupId;
    QLabel *m_title;
    QLineEdit *m_displayName;
    QWidget *m_conditionBox, *m_loopBox, *m_exitBox;
    BindingEditor *m_lhs, *m_rhs, *m_items;
    QComboBox *m_op;
    QLabel *m_conditionWarning;
    QSpinBox *m_parallelism;
    QComboBox *m_exitTask;
};

} // namespace pw
