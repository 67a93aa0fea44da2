// SPDX-License-Identifier: Apache-2.0
#include "mainwindow/mainwindow.h"

#include "canvas/canvasview.h"
#include "canvas/pipelinescene.h"
#include "document/commands/taskcommands.h"
#include "document/pipelinedocument.h"
#include "formats/componentloader.h"
#include "formats/pipelineloader.h"
#include "inspector/inspectorpanel.h"
#include "mainwindow/canvasmenu.h"
#include "mainwindow/editcontroller.h"
#include "mainwindow/filecontroller.h"
#include "mainwindow/runpage.h"
#include "mainwindow/shortcutsdialog.h"
#include "mainwindow/viewcontroller.h"
#include "palette/palettetree.h"
#include "palette/palettewidget.h"
#include "preview/compilepreview.h"
#include "problems/problemspanel.h"
#include "runview/runcontroller.h"
#include "runview/runworkspace.h"
#include "runview/schedulespanel.h"
#include "settings/backendsdialog.h"
#include "validate/validator.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QUndoView>

#include <algorithm>
#include <cmath>

namespace pw {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setObjectName("mainWindow");
    m_doc = new PipelineDocument(this);
    m_scene = new PipelineScene(m_doc, this);
    m_view = new CanvasView(m_scene, this);
    m_runPage = new RunPage(m_doc, this);
    m_pages = new QTabWidget(this);
    m_pages->setObjectName("pages");
    m_pages->setDocumentMode(true);
    m_pages->addTab(m_view, tr("Pipeline"));
    m_pages->addTab(m_runPage->workspace(), tr("Runs"));
    // The tab widget is as wide as its widest page even when it is hidden:
    // left to its three panes' sizes, the run view would make the window
    // grow past the screen whenever the docks come back.
    m_runPage->workspace()->setMinimumSize(480, 320);
    setCentralWidget(m_pages);
    connect(m_pages, &QTabWidget::currentChanged, this, &MainWindow::pageChanged);
    setAcceptDrops(true);
    setDockNestingEnabled(true);

    m_files = new FileController(m_doc, this);
    m_edits = new EditController(m_doc, m_scene, m_view, this);
    m_viewController = new ViewController(m_view, this);
    createDocks();
    createMenus();
    new CanvasMenu(m_view, m_scene, m_edits, m_viewController, this);

    m_counts = new QLabel(this);
    statusBar()->addPermanentWidget(m_counts);
    for (auto *source :
         {static_cast<QObject *>(m_files), static_cast<QObject *>(m_edits), static_cast<QObject *>(m_palette),
          static_cast<QObject *>(m_runPage), static_cast<QObject *>(m_preview)})
        connect(source, SIGNAL(message(QString)), this, SLOT(showStatus(QString)));
    // A message speaks of the document as it was: the next edit makes it stale.
    connect(m_doc, &PipelineDocument::contentChanged, statusBar(), &QStatusBar::clearMessage);
    connect(m_runPage, &RunPage::runStarted, this, [this] { showPage(Page::Runs); });
    connect(m_scene, &PipelineScene::connectionRefused, this,
            [this](const QString &reason) { statusBar()->showMessage(reason, 8000); });

    // Validation is cheap (milliseconds for 1,000 tasks) but runs after a
    // short pause so typing in the inspector stays fluid.
    m_validate.setSingleShot(true);
    m_validate.setInterval(150);
    connect(&m_validate, &QTimer::timeout, this, &MainWindow::validateNow);
    connect(m_doc, &PipelineDocument::contentChanged, &m_validate, qOverload<>(&QTimer::start));
    connect(m_preview, &CompilePreview::targetProblemChanged, &m_validate, qOverload<>(&QTimer::start));
    connect(m_doc, &PipelineDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_doc, &PipelineDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_doc, &PipelineDocument::infoChanged, this, &MainWindow::updateTitle);
    connect(m_doc, &PipelineDocument::documentReset, this, [this] {
        updateTitle();
        QTimer::singleShot(0, m_view, &CanvasView::fitAll);
    });
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &MainWindow::syncInspector);
    connect(m_problems, &ProblemsPanel::taskActivated, this, [this](const QString &id) { m_scene->selectTask(id); });
    connect(m_problems, &ProblemsPanel::countsChanged, this, [this](int errors, int warnings) {
        m_counts->setText(tr("%n error(s)", nullptr, errors) + ", " + tr("%n warning(s)", nullptr, warnings));
    });
    connect(m_view, &CanvasView::componentDropped, this, [this](const QString &path, const QPointF &pos) {
        m_palette->tree()->clearSelection(); // the row dragged is done with
        addComponent(path, pos);
    });
    connect(m_palette, &PaletteWidget::componentActivated, this,
            [this](const QString &path) { addComponent(path, m_view->visibleCenter()); });

    QSettings settings;
    resize(1500, 950);
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    m_files->newDocument();
    validateNow();
}

MainWindow::~MainWindow()
{
    // Children die in creation order, the document first: the scene must not
    // report selection changes of items it deletes after that.
    m_scene->blockSignals(true);
    delete m_scene;
}

QDockWidget *MainWindow::dock(const QString &title, const QString &name, QWidget *widget, Qt::DockWidgetArea area,
                              const QKeySequence &toggle)
{
    auto *d = new QDockWidget(title, this);
    d->setObjectName(name); // restoreState finds docks by object name
    d->setWidget(widget);
    d->toggleViewAction()->setShortcut(toggle);
    addDockWidget(area, d);
    m_docks << d;
    return d;
}

void MainWindow::createDocks()
{
    m_palette = new PaletteWidget(this);
    m_inspector = new InspectorPanel(m_doc, this);
    m_problems = new ProblemsPanel(this);
    m_preview = new CompilePreview(m_doc, this);
    auto *history = new QUndoView(m_doc->undoStack(), this);
    history->setEmptyLabel(tr("<opened>"));
    QDockWidget *palette = dock(tr("Components"), "paletteDock", m_palette, Qt::LeftDockWidgetArea,
                                QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    QDockWidget *inspector = dock(tr("Inspector"), "inspectorDock", m_inspector, Qt::RightDockWidgetArea,
                                  QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    QDockWidget *preview = dock(tr("Compile Preview"), "previewDock", m_preview, Qt::RightDockWidgetArea,
                                QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    QDockWidget *problems = dock(tr("Problems"), "problemsDock", m_problems, Qt::BottomDockWidgetArea,
                                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    QDockWidget *undo = dock(tr("History"), "historyDock", history, Qt::LeftDockWidgetArea,
                             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    tabifyDockWidget(inspector, preview);
    inspector->raise();
    splitDockWidget(palette, undo, Qt::Vertical);
    undo->hide();
    resizeDocks({palette, inspector}, {260, 430}, Qt::Horizontal);
    resizeDocks({problems}, {150}, Qt::Vertical);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_files->newAction());
    file->addAction(m_files->openAction());
    file->addMenu(m_files->recentMenu());
    file->addSeparator();
    file->addAction(m_files->saveAction());
    file->addAction(m_files->saveAsAction());
    file->addSeparator();
    QAction *exportAction = file->addAction(tr("&Export Compiled…"), m_preview, &CompilePreview::exportToFile);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addActions(m_edits->actions());
    edit->addSeparator();
    edit->addActions(m_edits->groupActions());

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addActions(m_runPage->actions());
    run->addSeparator();
    QAction *pipelinePage = run->addAction(tr("Show &Pipeline"), this, [this] { showPage(Page::Pipeline); });
    pipelinePage->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    QAction *runsPage = run->addAction(tr("Show R&uns"), this, [this] { showPage(Page::Runs); });
    runsPage->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    addActions({pipelinePage, runsPage});
    addActions(m_runPage->actions());

    run->addSeparator();
    QAction *backends = run->addAction(tr("&Backends…"), this, [this] {
        BackendsDialog dialog(m_runPage->controller()->registry(), BackendConfigFile::defaultPath(), this);
        dialog.exec();
        m_runPage->controller()->refreshRuns();
        m_runPage->workspace()->schedules()->reload();
    });
    backends->setObjectName("backendsAction");
    backends->setToolTip(tr("Where runs go: the local engine, KFP clusters, Argo servers, Vertex AI"));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions(m_viewController->actions());
    view->addSeparator();
    view->addActions(m_viewController->layoutActions());
    view->addSeparator();
    QAction *search = view->addAction(tr("Search Components"), this, [this] {
        m_palette->searchBox()->setFocus();
        m_palette->searchBox()->selectAll();
    });
    search->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    view->addSeparator();
    for (QDockWidget *d : std::as_const(m_docks))
        view->addAction(d->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName("helpMenu");
    QAction *shortcuts = help->addAction(tr("&Keyboard Shortcuts"), this, [this] {
        ShortcutsDialog sheet(menuBar(), this);
        sheet.exec();
    });
    shortcuts->setObjectName("shortcutsAction");
    shortcuts->setShortcuts({QKeySequence::HelpContents, QKeySequence(Qt::CTRL | Qt::Key_Slash)});
    QAction *about = help->addAction(tr("&About Pipewright Studio"), this, [this] {
        QMessageBox::about(this, tr("About Pipewright Studio"),
                           tr("<b>Pipewright Studio %1</b><p>Author, run and inspect Kubeflow, Argo and "
                              "Vertex AI pipelines.</p><p>Licensed under the Apache License 2.0.</p>")
                               .arg(QApplication::applicationVersion()));
    });
    about->setObjectName("aboutAction");
    addAction(shortcuts);

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName("mainToolBar");
    bar->addAction(m_files->newAction());
    bar->addAction(m_files->openAction());
    bar->addAction(m_files->saveAction());
    bar->addSeparator();
    // The menu's Undo says what it undoes; on the toolbar that text would
    // change the button's width and shift every button after it.
    for (QAction *full : {m_edits->undoAction(), m_edits->redoAction()}) {
        auto *fixed = new QAction(full == m_edits->undoAction() ? tr("Undo") : tr("Redo"), bar);
        fixed->setObjectName(full == m_edits->undoAction() ? "toolbarUndo" : "toolbarRedo");
        fixed->setEnabled(full->isEnabled());
        fixed->setToolTip(full->text().remove('&'));
        connect(fixed, &QAction::triggered, full, &QAction::trigger);
        connect(full, &QAction::changed, fixed, [fixed, full] {
            fixed->setEnabled(full->isEnabled());
            fixed->setToolTip(QString(full->text()).remove('&'));
        });
        bar->addAction(fixed);
    }
    bar->addSeparator();
    bar->addActions(m_viewController->layoutActions());
    bar->addAction(m_viewController->actions().at(2)); // fit
    bar->addSeparator();
    bar->addWidget(m_edits->findBox());
    bar->addSeparator();
    bar->addAction(m_runPage->runAction());
    // Actions live on the window so shortcuts work whichever dock has focus.
    addActions(m_edits->actions());
    addActions(m_edits->groupActions());
    addActions(m_viewController->actions());
    addActions(m_viewController->layoutActions());
}

void MainWindow::showStatus(const QString &text)
{
    statusBar()->showMessage(text, 10000);
}

void MainWindow::updateTitle()
{
    const std::string &name = m_doc->pipeline().displayName.empty() ? m_doc->pipeline().name
                                                                     : m_doc->pipeline().displayName;
    setWindowTitle(QStringLiteral("%1 — %2[*] — Pipewright Studio").arg(QString::fromStdString(name), m_doc->title()));
    setWindowModified(m_doc->isModified());
}

void MainWindow::syncInspector()
{
    const QStringList tasks = m_scene->selectedTaskIds();
    const QStringList groups = m_scene->selectedGroupIds();
    if (tasks.size() == 1 && groups.isEmpty())
        m_inspector->showTask(tasks.front());
    else if (groups.size() == 1 && tasks.isEmpty())
        m_inspector->showGroup(groups.front());
    else
        m_inspector->showPipeline();
}

void MainWindow::validateNow()
{
    m_validate.stop();
    std::vector<Problem> problems = validatePipeline(m_doc->pipeline());
    // What only the previewed target refuses (Vertex without an output
    // directory) is a problem too, once the pipeline itself is valid.
    if (const auto &target = m_preview->targetProblem(); target && !hasErrors(problems))
        problems.push_back(*target);
    m_problems->setProblems(problems);
    QHash<QString, int> marks;
    for (const Problem &p : problems) {
        if (p.where.task.empty() || p.severity == Problem::Severity::Info)
            continue;
        const QString id = QString::fromStdString(p.where.task);
        const int s = p.severity == Problem::Severity::Error ? 0 : 1;
        marks.insert(id, std::min(marks.value(id, s), s));
    }
    m_scene->setProblemMarks(marks);
}

QString MainWindow::addComponent(const QString &path, const QPointF &scenePos)
{
    auto component = loadComponentFile(path.toStdString());
    if (!component.ok()) {
        const QString error = QString::fromStdString(component.error().toString());
        statusBar()->showMessage(error, 10000);
        QMessageBox::warning(this, tr("Add component"), error);
        return {};
    }
    // Stored embedded: the document then stands alone wherever it is saved.
    component->source = ComponentSource{};
    auto *cmd = new AddTaskCommand(m_doc, *component, Layout::Point{std::round(scenePos.x()), std::round(scenePos.y())});
    const QString id = cmd->taskId();
    m_doc->undoStack()->push(cmd);
    m_scene->selectTask(id);
    // The new task's settings are what the user wants next.
    if (auto *dock = findChild<QDockWidget *>("inspectorDock"); dock && dock->toggleViewAction()) {
        dock->show();
        dock->raise();
    }
    return id;
}

namespace {

bool sameFile(const QString &a, const QString &b)
{
    return !a.isEmpty() && !b.isEmpty() &&
           (a == b || (QFileInfo(a).canonicalFilePath() == QFileInfo(b).canonicalFilePath() &&
                       !QFileInfo(a).canonicalFilePath().isEmpty()));
}

} // namespace

void MainWindow::offerRecovery()
{
    const auto sessions = FileController::recoverableSessions();
    if (sessions.isEmpty())
        return;
    // The open file's own copy first; else the latest. Another file's copy
    // never replaces what is open: it gets a window of its own.
    const QString open = m_doc->filePath();
    const auto own = std::find_if(sessions.begin(), sessions.end(), [&](const FileController::Recovery &r) {
        return sameFile(r.originalPath, open);
    });
    const FileController::Recovery chosen = own != sessions.end() ? *own : sessions.front();
    const bool pristine = open.isEmpty() && !m_doc->isModified() && m_doc->graph().tasks.empty();
    const bool here = pristine || own != sessions.end();
    const QString what = chosen.originalPath.isEmpty() ? tr("an untitled pipeline") : chosen.originalPath;
    QString question =
        tr("Pipewright Studio did not close cleanly. Recover the unsaved changes to %1 from %2?")
            .arg(what, chosen.savedAt.toLocalTime().toString());
    if (!here)
        question += "\n\n" + tr("They open in a new window; %1 stays as it is.").arg(m_doc->title());
    const auto answer = QMessageBox::question(this, tr("Recover unsaved changes"), question,
                                              QMessageBox::Yes | QMessageBox::Discard | QMessageBox::Ignore,
                                              QMessageBox::Yes);
    if (answer == QMessageBox::Discard) {
        FileController::discardRecovery(chosen);
        return;
    }
    if (answer != QMessageBox::Yes)
        return;
    if (here) {
        m_files->recover(chosen);
        return;
    }
    auto *other = new MainWindow;
    other->setAttribute(Qt::WA_DeleteOnClose);
    other->resize(size());
    other->show();
    if (!other->m_files->recover(chosen))
        QMessageBox::warning(other, tr("Recover unsaved changes"), other->m_files->lastError());
}

void MainWindow::showPage(Page page)
{
    m_pages->setCurrentIndex(page == Page::Runs ? 1 : 0);
}

// The design docks (palette, inspector, problems…) edit the pipeline; on the
// runs page they only take room from the run view, so they step aside and
// come back as they were.
void MainWindow::pageChanged(int index)
{
    if (index == 1) {
        m_designDocks = saveState();
        for (QDockWidget *d : std::as_const(m_docks))
            d->hide();
    } else if (!m_designDocks.isEmpty()) {
        restoreState(m_designDocks);
        m_designDocks.clear();
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_files->maybeSave()) {
        event->ignore();
        return;
    }
    m_files->clearRecovery();
    showPage(Page::Pipeline); // the saved dock layout is the pipeline page's
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    // Files dropped outside the canvas: components become tasks, pipelines open.
    for (const QUrl &url : event->mimeData()->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        QFile f(path);
        const bool isComponent = f.open(QIODevice::ReadOnly) &&
                                 detectFormat(f.readAll().toStdString()) == InputFormat::ComponentV1;
        if (isComponent)
            addComponent(path, m_view->visibleCenter());
        else if (!m_files->open(path))
            QMessageBox::warning(this, tr("Open"), m_files->lastError());
    }
    event->acceptProposedAction();
}

void MainWindow::changeEvent(QEvent *event)
{
    // Follow the system's light/dark switch: items paint from the palette.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        m_scene->update();
    QMainWindow::changeEvent(event);
}

} // namespace pw
