// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "targets/compiletarget.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace pw {

class PipelineDocument;
class YamlHighlighter;

// What the open pipeline compiles to, refreshed shortly after every edit:
// PipelineSpec, Argo Workflow or Vertex PipelineJob, highlighted, with copy
// and export. A pipeline that does not compile shows the first error instead.
class CompilePreview final : public QWidget {
    Q_OBJECT
public:
    explicit CompilePreview(PipelineDocument *doc, QWidget *parent = nullptr);

    CompileTarget target() const;
    void setTarget(CompileTarget target);
    QString text() const;
    // Compiles now instead of after the debounce (tests, export).
    void refreshNow();

public slots:
    void copyToClipboard();
    void exportToFile();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void scheduleRefresh();
    static QString suffixFor(CompileTarget target);

    PipelineDocument *m_doc;
    QComboBox *m_target;
    QLabel *m_status;
    QPlainTextEdit *m_text;
    YamlHighlighter *m_highlighter;
    QTimer m_debounce;
    bool m_stale = true;
};

} // namespace pw
