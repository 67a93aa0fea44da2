// SPDX-License-Identifier: Apache-2.0
#include "preview/compilepreview.h"

#include "document/pipelinedocument.h"
#include "preview/yamlhighlighter.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace pw {

CompilePreview::CompilePreview(PipelineDocument *doc, QWidget *parent) : QWidget(parent), m_doc(doc)
{
    setObjectName("compilePreview");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *bar = new QHBoxLayout;
    m_target = new QComboBox(this);
    m_target->setObjectName("previewTarget");
    m_target->addItem(tr("PipelineSpec (KFP v2)"), int(CompileTarget::PipelineSpec));
    m_target->addItem(tr("Argo Workflow (KFP v1)"), int(CompileTarget::Argo));
    m_target->addItem(tr("Vertex PipelineJob"), int(CompileTarget::Vertex));
    bar->addWidget(m_target);
    m_outputDir = new QLineEdit(this);
    m_outputDir->setObjectName("previewOutputDir");
    m_outputDir->setPlaceholderText(tr("gs:// output directory (default: the pipeline root)"));
    m_outputDir->setToolTip(tr("Where Vertex AI writes the run's outputs (gcsOutputDirectory)"));
    m_outputDir->setClearButtonEnabled(true);
    m_outputDir->hide();
    m_status = new QLabel(this);
    bar->addWidget(m_status, 1);
    auto *copy = new QToolButton(this);
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the compiled output"));
    auto *save = new QToolButton(this);
    save->setText(tr("Export…"));
    save->setToolTip(tr("Save the compiled output to a file"));
    bar->addWidget(copy);
    bar->addWidget(save);
    layout->addLayout(bar);
    layout->addWidget(m_outputDir);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName("previewText");
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_text, 1);
    m_highlighter = new YamlHighlighter(m_text->document());
    m_highlighter->setDark(palette().color(QPalette::Base).lightness() < 128);

    // Compiling a 1,000-task pipeline takes tens of milliseconds: wait for a
    // pause in typing, and skip the work while the dock is hidden.
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    // Other targets compile even while hidden: their errors go to Problems.
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        if (isVisible() || target() != CompileTarget::PipelineSpec)
            refreshNow();
    });
    connect(doc, &PipelineDocument::contentChanged, this, &CompilePreview::scheduleRefresh);
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
        m_outputDir->setVisible(target() == CompileTarget::Vertex);
        refreshNow();
    });
    connect(m_outputDir, &QLineEdit::textChanged, this, &CompilePreview::scheduleRefresh);
    connect(copy, &QToolButton::clicked, this, &CompilePreview::copyToClipboard);
    connect(save, &QToolButton::clicked, this, &CompilePreview::exportToFile);
    scheduleRefresh();
}

CompileTarget CompilePreview::target() const
{
    return CompileTarget(m_target->currentData().toInt());
}

void CompilePreview::setTarget(CompileTarget target)
{
    m_target->setCurrentIndex(m_target->findData(int(target)));
}

QString CompilePreview::text() const
{
    return m_text->toPlainText();
}

void CompilePreview::scheduleRefresh()
{
    m_stale = true;
    m_debounce.start();
}

void CompilePreview::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refreshNow();
}

void CompilePreview::refreshNow()
{
    m_debounce.stop();
    m_stale = false;
    CompileOptions options;
    if (const QString dir = m_outputDir->text().trimmed();
        target() == CompileTarget::Vertex && !dir.isEmpty())
        options.outputDir = dir.toStdString();
    auto result = compileToText(m_doc->pipeline(), target(), options);
    const int scroll = m_text->verticalScrollBar()->value();
    std::optional<Problem> problem;
    if (result.ok()) {
        m_text->setPlainText(QString::fromStdString(*result));
        m_status->setText(tr("%n line(s)", nullptr, m_text->blockCount()));
        m_status->setStyleSheet({});
    } else {
        Error e = result.error();
        m_text->setPlainText(tr("# The pipeline does not compile yet:\n# %1\n")
                                 .arg(QString::fromStdString(e.toString()).replace('\n', "\n# ")));
        m_status->setText(tr("not compiled"));
        m_status->setStyleSheet("color: #d32f2f");
        problem = Problem{Problem::Severity::Error, m_target->currentText().toStdString() + ": " + e.message,
                          e.where};
    }
    if (problem.has_value() != m_targetProblem.has_value() ||
        (problem && problem->message != m_targetProblem->message)) {
        m_targetProblem = problem;
        emit targetProblemChanged();
    }
    m_text->verticalScrollBar()->setValue(scroll);
}

void CompilePreview::copyToClipboard()
{
    if (m_stale)
        refreshNow();
    QApplication::clipboard()->setText(text());
}

QString CompilePreview::suffixFor(CompileTarget target)
{
    switch (target) {
    case CompileTarget::PipelineSpec:
        return ".pipelinespec.yaml";
    case CompileTarget::Argo:
        return ".argo.yaml";
    case CompileTarget::Vertex:
        return ".vertex.json";
    }
    return ".yaml";
}

QString CompilePreview::filterFor(CompileTarget target)
{
    return target == CompileTarget::Vertex ? tr("JSON (*.json)") : tr("YAML (*.yaml *.yml)");
}

void CompilePreview::exportToFile()
{
    refreshNow();
    const QString base = QString::fromStdString(m_doc->pipeline().name.empty() ? "pipeline" : m_doc->pipeline().name);
    // Next to the document, where its compiled files usually go.
    const QString folder =
        m_doc->filePath().isEmpty() ? QDir::homePath() : QFileInfo(m_doc->filePath()).absolutePath();
    QFileDialog dialog(this, tr("Export compiled pipeline"), folder, filterFor(target()));
    dialog.setObjectName("exportDialog");
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(target() == CompileTarget::Vertex ? "json" : "yaml");
    dialog.selectFile(base + suffixFor(target()));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    if (!exportTo(dialog.selectedFiles().front()))
        QMessageBox::warning(this, tr("Export"), m_lastError);
}

bool CompilePreview::exportTo(const QString &path)
{
    if (m_stale)
        refreshNow();
    if (m_targetProblem) {
        m_lastError = tr("The pipeline does not compile for %1:\n%2")
                          .arg(m_target->currentText(), QString::fromStdString(m_targetProblem->message));
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text().toUtf8()) < 0 || !file.commit()) {
        m_lastError = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    emit message(tr("Exported %1 to %2").arg(m_target->currentText(), QDir::toNativeSeparators(path)));
    return true;
}

} // namespace pw
