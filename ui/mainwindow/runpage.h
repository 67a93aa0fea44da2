// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QObject>

class QAction;
class QWidget;

namespace pw {

class PipelineDocument;
class RunController;
class RunWorkspace;

// The window's "Runs" page: owns the run controller and the run workspace,
// and the actions that start a run of the open document (with its parameter
// values) from the design page.
class RunPage final : public QObject {
    Q_OBJECT
public:
    RunPage(PipelineDocument *doc, QWidget *window);

    RunWorkspace *workspace() const { return m_workspace; }
    RunController *controller() const { return m_controller; }
    // Run… (asks for parameter values), Run with Defaults.
    QList<QAction *> actions() const { return {m_run, m_runDefaults}; }
    QAction *runAction() const { return m_run; }

signals:
    void runStarted(const QString &runId);
    void message(const QString &text);

private:
    void start(bool askForParameters);
    // A recurring run of the open pipeline on `backend`.
    void schedule(const QString &backend);

    PipelineDocument *m_doc;
    QWidget *m_window;
    RunController *m_controller;
    RunWorkspace *m_workspace;
    QAction *m_run;
    QAction *m_runDefaults;
};

} // namespace pw
