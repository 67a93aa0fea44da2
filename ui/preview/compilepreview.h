// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "targets/compiletarget.h"
#include "validate/problem.h"

#include <optional>

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
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
    // Why the chosen target does not compile when validation alone passes
    // (Vertex without an output directory); nullopt when it compiles.
    const std::optional<Problem> &targetProblem() const { return m_targetProblem; }
    // Vertex's gcsOutputDirectory; empty: the pipeline root.
    QLineEdit *outputDirEdit() const { return m_outputDir; }
    // Writes the compiled text to `path`; false with a message on failure.
    bool exportTo(const QString &path);
    QString lastError() const { return m_lastError; }

signals:
    void targetProblemChanged();
    // A short confirmation for the status bar.
    void message(const QString &text);

public slots:
    void copyToClipboard();
    void exportToFile();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void scheduleRefresh();
    static QString suffixFor(CompileTarget target);
    static QString filterFor(CompileTarget target);

    PipelineDocument *m_doc;
    QComboBox *m_target;
    QLineEdit *m_outputDir;
    std::optional<Problem> m_targetProblem;
    QString m_lastError;
    QLabel *m_status;
    QPlainTextEdit *m_text;
    YamlHighlighter *m_highlighter;
    QTimer m_debounce;
    bool m_stale = true;
};

} // namespace pw
