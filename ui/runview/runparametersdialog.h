// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"

#include <QDialog>

#include <map>
#include <string>
#include <vector>

class QLabel;
class QWidget;

namespace pw {

// Values for a pipeline's parameters before a run, one typed editor per
// input (line edit, number field, check box, JSON for lists and structs),
// prefilled with the defaults. values() is what `pipewright run --param`
// would receive, so the same core parsing and checks apply.
class RunParametersDialog final : public QDialog {
    Q_OBJECT
public:
    explicit RunParametersDialog(const Pipeline &pipeline, QWidget *parent = nullptr);

    // NAME -> text, only for parameters that have a value.
    std::map<std::string, std::string> values() const;
    void setValues(const std::map<std::string, std::string> &values);
    QWidget *editor(const QString &name) const;

    void accept() override;

private:
    struct Field {
        PortSpec spec;
        QWidget *editor = nullptr;
    };
    QString textOf(const Field &f) const;

    std::vector<Field> m_fields;
    QLabel *m_error = nullptr;
};

} // namespace pw
