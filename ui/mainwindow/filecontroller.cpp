// SPDX-License-Identifier: Apache-2.0
#include "mainwindow/filecontroller.h"

#include "document/commands/pipelinecommands.h"
#include "document/pipelinedocument.h"
#include "formats/document.h"
#include "formats/pipelineloader.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QUuid>

namespace pw {

namespace {

const char *kRecentKey = "recentFiles";
constexpr int kMaxRecent = 10;

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    // QSaveFile renames over the target, so a crash mid-write never leaves half a document.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace

FileController::FileController(PipelineDocument *doc, QWidget *window)
    : QObject(window), m_doc(doc), m_window(window), m_session(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    m_new = new QAction(tr("&New"), this);
    m_new->setShortcut(QKeySequence::New);
    m_open = new QAction(tr("&Open…"), this);
    m_open->setShortcut(QKeySequence::Open);
    m_open->setToolTip(tr("Open a Pipewright document, a KFP component or a compiled PipelineSpec"));
    m_save = new QAction(tr("&Save"), this);
    m_save->setShortcut(QKeySequence::Save);
    m_saveAs = new QAction(tr("Save &As…"), this);
    m_saveAs->setShortcut(QKeySequence::SaveAs);
    m_recent = new QMenu(tr("Open &Recent"), window);

    connect(m_new, &QAction::triggered, this, &FileController::newDocument);
    connect(m_open, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            m_window, tr("Open pipeline"), QFileInfo(m_doc->filePath()).absolutePath(),
            tr("Pipelines and components (*.yaml *.yml *.json);;All files (*)"));
        if (!path.isEmpty() && !open(path))
            QMessageBox::warning(m_window, tr("Open"), m_lastError);
    });
    connect(m_save, &QAction::triggered, this, &FileController::save);
    connect(m_saveAs, &QAction::triggered, this, [this] {
        const QString path = askSavePath();
        if (!path.isEmpty())
            saveAs(path);
    });
    rebuildRecentMenu();

    // Autosave only when something changed since the last save or autosave.
    bool ok = false;
    const int interval = qEnvironmentVariableIntValue("PIPEWRIGHT_AUTOSAVE_MS", &ok);
    m_autosave.setInterval(ok && interval > 0 ? interval : 30000);
    connect(&m_autosave, &QTimer::timeout, this, &FileController::autosaveNow);
    m_autosave.start();
    connect(doc, &PipelineDocument::modifiedChanged, this, [this](bool modified) {
        if (!modified)
            clearRecovery();
    });
}

QString FileController::askSavePath()
{
    QString suggestion = m_doc->filePath();
    if (suggestion.isEmpty())
        suggestion = QString::fromStdString(m_doc->pipeline().name) + ".pipewright.yaml";
    return QFileDialog::getSaveFileName(m_window, tr("Save pipeline"), suggestion,
                                        tr("Pipewright documents (*.pipewright.yaml)"));
}

bool FileController::maybeSave()
{
    if (!m_doc->isModified())
        return true;
    Answer answer;
    if (m_prompt) {
        answer = m_prompt();
    } else {
        const auto button = QMessageBox::warning(
            m_window, tr("Unsaved changes"), tr("%1 has unsaved changes. Save them?").arg(m_doc->title()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        answer = button == QMessageBox::Save      ? Answer::Save
                 : button == QMessageBox::Discard ? Answer::Discard
                                                  : Answer::Cancel;
    }
    switch (answer) {
    case Answer::Save:
        return save();
    case Answer::Discard:
        clearRecovery();
        return true;
    case Answer::Cancel:
        return false;
    }
    return false;
}

bool FileController::newDocument()
{
    if (!maybeSave())
        return false;
    Pipeline p;
    p.name = "new-pipeline";
    p.displayName = "New pipeline";
    m_doc->reset(std::move(p), {});
    return true;
}

bool FileController::open(const QString &path)
{
    if (!maybeSave())
        return false;
    return load(path);
}

bool FileController::load(const QString &path)
{
    auto loaded = loadPipelineFile(path.toStdString());
    if (!loaded.ok()) {
        Error e = loaded.error();
        if (e.where.file.empty())
            e.where.file = path.toStdString();
        m_lastError = QString::fromStdString(e.toString());
        emit message(m_lastError);
        return false;
    }
    // Components and PipelineSpec files are imported: saving must not
    // overwrite them with a Pipewright document, so they open untitled.
    QFile f(path);
    const bool isDocument = f.open(QIODevice::ReadOnly) && detectFormat(f.readAll().toStdString()) == InputFormat::Document;
    m_doc->reset(std::move(*loaded), isDocument ? QFileInfo(path).absoluteFilePath() : QString());
    if (isDocument)
        addRecent(QFileInfo(path).absoluteFilePath());
    emit message(isDocument ? tr("Opened %1").arg(path) : tr("Imported %1 (save it as a Pipewright document)").arg(path));
    return true;
}

bool FileController::save()
{
    if (m_doc->filePath().isEmpty()) {
        const QString path = askSavePath();
        return !path.isEmpty() && saveAs(path);
    }
    return writeTo(m_doc->filePath());
}

bool FileController::saveAs(const QString &path)
{
    return writeTo(QFileInfo(path).absoluteFilePath());
}

bool FileController::writeTo(const QString &path)
{
    // Component paths are relative to the document's folder: saving into
    // another folder rewrites them so the references keep pointing at the
    // same files.
    const QString oldDir = m_doc->filePath().isEmpty() ? QString() : QFileInfo(m_doc->filePath()).absolutePath();
    const QString newDir = QFileInfo(path).absolutePath();
    if (!oldDir.isEmpty() && oldDir != newDir)
        m_doc->rebaseComponentPaths(oldDir, newDir);
    const std::string text = m_doc->text();
    if (!writeFile(path, QByteArray::fromStdString(text), &m_lastError)) {
        m_lastError = tr("Could not save %1: %2").arg(path, m_lastError);
        QMessageBox::warning(m_window, tr("Save"), m_lastError);
        return false;
    }
    m_doc->markSaved(path);
    clearRecovery();
    addRecent(path);
    emit message(tr("Saved %1").arg(path));
    return true;
}

QStringList FileController::recentFiles()
{
    return QSettings().value(kRecentKey).toStringList();
}

void FileController::addRecent(const QString &path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecent)
        files.removeLast();
    QSettings().setValue(kRecentKey, files);
    rebuildRecentMenu();
    emit recentFilesChanged();
}

void FileController::rebuildRecentMenu()
{
    m_recent->clear();
    const QStringList files = recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        QAction *a = m_recent->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()));
        a->setToolTip(path);
        connect(a, &QAction::triggered, this, [this, path] {
            if (!open(path))
                QMessageBox::warning(m_window, tr("Open"), m_lastError);
        });
    }
    m_recent->setEnabled(!files.isEmpty());
}

QString FileController::recoveryDirectory()
{
    const QString env = qEnvironmentVariable("PIPEWRIGHT_RECOVERY_DIR");
    return env.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery" : env;
}

QString FileController::recoveryFile() const
{
    return recoveryDirectory() + "/" + m_session + ".pipewright.yaml";
}

void FileController::autosaveNow()
{
    if (!m_doc->isModified())
        return;
    QDir().mkpath(recoveryDirectory());
    QString error;
    const QJsonObject meta{{"originalPath", m_doc->filePath()},
                           {"savedAt", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    // The document first, then the note that points at it: a crash between
    // the two leaves a copy without a note, which is ignored.
    if (writeFile(recoveryFile(), QByteArray::fromStdString(m_doc->text()), &error) &&
        writeFile(recoveryFile() + ".json", QJsonDocument(meta).toJson(), &error))
        emit message(tr("Autosaved"));
}

void FileController::clearRecovery()
{
    QFile::remove(recoveryFile() + ".json");
    QFile::remove(recoveryFile());
}

QList<FileController::Recovery> FileController::recoverableSessions()
{
    QList<Recovery> result;
    const QDir dir(recoveryDirectory());
    for (const QFileInfo &info : dir.entryInfoList({"*.pipewright.yaml.json"}, QDir::Files, QDir::Time)) {
        QFile f(info.absoluteFilePath());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject meta = QJsonDocument::fromJson(f.readAll()).object();
        Recovery r;
        r.file = info.absoluteFilePath().chopped(5); // minus ".json"
        r.originalPath = meta.value("originalPath").toString();
        r.savedAt = QDateTime::fromString(meta.value("savedAt").toString(), Qt::ISODate);
        if (QFileInfo::exists(r.file))
            result << r;
    }
    return result;
}

bool FileController::recover(const Recovery &recovery)
{
    QFile f(recovery.file);
    if (!f.open(QIODevice::ReadOnly)) {
        m_lastError = f.errorString();
        return false;
    }
    // Read with the original file name, so relative component paths resolve
    // against the document's own folder.
    const QString base = recovery.originalPath.isEmpty() ? recovery.file : recovery.originalPath;
    auto recovered = readDocument(f.readAll().toStdString(), base.toStdString());
    if (!recovered.ok()) {
        m_lastError = QString::fromStdString(recovered.error().toString());
        return false;
    }
    // Start from the file on disk (if any) and apply the recovered state as
    // one undoable, unsaved change.
    if (!recovery.originalPath.isEmpty() && QFileInfo::exists(recovery.originalPath)) {
        if (!load(recovery.originalPath))
            m_doc->reset(Pipeline{}, recovery.originalPath);
    } else {
        m_doc->reset(Pipeline{}, recovery.originalPath);
    }
    recovered->fileName = base.toStdString();
    m_doc->undoStack()->push(new ReplacePipelineCommand(m_doc, std::move(*recovered), tr("Recover unsaved changes")));
    discardRecovery(recovery);
    autosaveNow(); // the recovered state is this window's to protect now
    emit message(tr("Recovered unsaved changes from %1").arg(recovery.savedAt.toLocalTime().toString()));
    return true;
}

void FileController::discardRecovery(const Recovery &recovery)
{
    QFile::remove(recovery.file + ".json");
    QFile::remove(recovery.file);
}

} // namespace pw
