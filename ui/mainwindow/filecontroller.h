// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <functional>

class QAction;
class QMenu;
class QWidget;

namespace pw {

class PipelineDocument;

// New, open, save, save as, recent files, the unsaved-changes prompt, and
// autosave with crash recovery. Recovery files live in
// $PIPEWRIGHT_RECOVERY_DIR, else <AppDataLocation>/recovery; each window
// writes its own and removes it when its changes are saved or discarded, so
// a file left behind means the studio did not close cleanly.
class FileController final : public QObject {
    Q_OBJECT
public:
    FileController(PipelineDocument *doc, QWidget *window);

    enum class Answer { Save, Discard, Cancel };
    // Replaces the unsaved-changes dialog (tests answer without a dialog).
    void setPrompt(std::function<Answer()> prompt) { m_prompt = std::move(prompt); }

    QAction *newAction() const { return m_new; }
    QAction *openAction() const { return m_open; }
    QAction *saveAction() const { return m_save; }
    QAction *saveAsAction() const { return m_saveAs; }
    QMenu *recentMenu() const { return m_recent; }

    bool newDocument();
    bool open(const QString &path); // asks about unsaved changes first
    bool save();
    bool saveAs(const QString &path);
    // true when it is fine to drop the current document (saved, discarded or clean).
    bool maybeSave();
    QString lastError() const { return m_lastError; }

    static QStringList recentFiles();

    // Autosave and recovery.
    static QString recoveryDirectory();
    struct Recovery {
        QString file;         // the recovery copy
        QString originalPath; // the document's own file; empty when untitled
        QDateTime savedAt;
    };
    static QList<Recovery> recoverableSessions();
    bool recover(const Recovery &recovery); // loads it as unsaved changes
    static void discardRecovery(const Recovery &recovery);
    void autosaveNow();
    QString recoveryFile() const;
    // Removes this window's recovery copy (after save, discard or a clean close).
    void clearRecovery();

signals:
    void message(const QString &text);
    void recentFilesChanged();

private:
    bool load(const QString &path);
    bool writeTo(const QString &path);
    void addRecent(const QString &path);
    void rebuildRecentMenu();
    QString askSavePath();

    PipelineDocument *m_doc;
    QWidget *m_window;
    QAction *m_new, *m_open, *m_save, *m_saveAs;
    QMenu *m_recent;
    QTimer m_autosave;
    QString m_session;
    QString m_lastError;
    std::function<Answer()> m_prompt;
};

} // namespace pw
