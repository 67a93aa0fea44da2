// SPDX-License-Identifier: Apache-2.0
// The studio defects of issue 11, each held by the real widgets under the
// offscreen platform: what a user saw wrong, checked the way they saw it.
#include "uitest.h"

#include "canvas/canvasview.h"
#include "canvas/edgeitem.h"
#include "canvas/pipelinescene.h"
#include "canvas/taskitem.h"
#include "document/commands/clipboardcommands.h"
#include "document/commands/settingscommands.h"
#include "document/pipelinedocument.h"
#include "formats/document.h"
#include "formats/pipelineloader.h"
#include "inspector/bindingeditor.h"
#include "inspector/groupinspector.h"
#include "inspector/inspectorpanel.h"
#include "inspector/pipelineinspector.h"
#include "inspector/rowstable.h"
#include "inspector/taskinspector.h"
#include "mainwindow/editcontroller.h"
#include "mainwindow/filecontroller.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/runpage.h"
#include "mainwindow/shortcutsdialog.h"
#include "palette/palettetree.h"
#include "palette/palettewidget.h"
#include "preview/compilepreview.h"
#include "problems/problemspanel.h"
#include "runview/runcontroller.h"
#include "runview/runparametersdialog.h"
#include "runview/runspanel.h"
#include "runview/runworkspace.h"
#include "runview/taskdetails.h"
#include "testdata.h"
#include "validate/validator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabBar>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QTreeWidget>
#include <QUndoStack>

#include <memory>

using namespace pw;

namespace {

// A pipeline with an Integer and an artifact output, and a task to put in a condition.
constexpr const char *kCounting = R"(pipewright: 1
name: counting
inputs:
  source: {type: String, description: Where the rows come from, default: 'gs://bucket/a/very/long/path/to/the/rows.csv'}
  limit: {type: Integer, description: Most rows to read, default: 10}
components:
  count:
    name: Count rows
    inputs:
      data: {type: String}
    outputs:
      table: {type: system.Dataset}
      row_count: {type: Integer}
    container:
      image: alpine:3.19
      command: [sh, -c, 'echo 3 > "$1"; echo x > "$0"', {outputPath: table}, {outputPath: row_count}]
  say:
    name: Say
    inputs:
      text: {type: String}
    outputs:
      said: {type: String}
    container:
      image: alpine:3.19
      command: [sh, -c, 'echo "$0" > "$1"', {inputValue: text}, {outputPath: said}]
tasks:
  counter:
    component: count
    arguments: {data: {param: source}}
  report:
    component: say
    arguments: {text: many rows}
    after: [counter]
)";

// Answers the next message box with `button`, keeping its text.
void answerNextBox(QObject *context, QMessageBox::StandardButton button, QString *text)
{
    auto *poll = new QTimer(context);
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, context, [poll, button, text] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        if (text)
            *text = box->text();
        poll->deleteLater();
        box->button(button)->click();
    });
    poll->start();
}

} // namespace

class TstStudioDefects final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cancelAsksAndCountsOnlyFinishedTasks();
    void runDialogIsWideDescribedAndRemembers();
    void conditionPickerOffersOnlyFittingValues();
    void conditionEditorsStayCompact();
    void pipelineTablesShowEveryRow();
    void taskPoolCanBeDefinedWhereItIsTyped();
    void targetErrorsReachProblems();
    void exportStartsBesideTheDocumentAndSaysSo();
    void statusMessagesDoNotOutliveTheNextEdit();
    void artifactsListEachFileOnce();
    void windowKeepsItsSize();
    void recoveringAnotherFileLeavesTheOpenOneAlone();
    void canvasItemsHaveContextMenusAndHelpListsShortcuts();
    void dropsLeaveThePaletteAndToolbarSteady();
    void pastedTasksKeepTheirOwnComponents();
    void openingWithItemsSelectedIsSafe();
    void cleanupTestCase();

private:
    std::unique_ptr<MainWindow> newWindow();
    QString writeFile(const QString &name, const char *text);
    MainWindow *openCounting();
    // The window the tests share, made on first use.
    MainWindow *window();

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

std::unique_ptr<MainWindow> TstStudioDefects::newWindow()
{
    return pw::test::shownStudioWindow();
}

QString TstStudioDefects::writeFile(const QString &name, const char *text)
{
    QFile f(m_dir.filePath(name));
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return f.fileName();
}

MainWindow *TstStudioDefects::window()
{
    if (!m_window)
        m_window = newWindow();
    return m_window.get();
}

MainWindow *TstStudioDefects::openCounting()
{
    if (!window()->files()->open(writeFile("counting.pipewright.yaml", kCounting)))
        qWarning("%s", qPrintable(m_window->files()->lastError()));
    return m_window.get();
}

void TstStudioDefects::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

// Issue 11.3: cancelling asks first, and the header counts only what finished.
void TstStudioDefects::cancelAsksAndCountsOnlyFinishedTasks()
{
    RunController controller(m_dir.filePath("runs"));
    controller.setPollInterval(100);
    RunWorkspace workspace(&controller);
    workspace.resize(1400, 800);
    workspace.show();
    auto pipeline = loadPipelineFile(writeFile("slow.pipewright.yaml", R"(pipewright: 1
name: slow
components:
  sleep:
    name: Sleep
    inputs:
      seconds: {type: Integer}
    container:
      image: alpine
      command: [sleep, {inputValue: seconds}]
tasks:
  nap: {component: sleep, arguments: {seconds: 60}, caching: false}
  after-nap: {component: sleep, arguments: {seconds: 1}, after: [nap], caching: false}
  last: {component: sleep, arguments: {seconds: 1}, after: [after-nap], caching: false}
)")
                                         .toStdString());
    QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().message.c_str());
    QSignalSpy created(&controller, &RunController::runCreated);
    RunSettings settings;
    settings.workDir = m_dir.path().toStdString();
    QVERIFY(workspace.startRun(*pipeline, settings).ok());
    QVERIFY(created.wait(20000));
    const QString id = created.first().first().toString();
    QTRY_VERIFY(controller.run(id) && controller.run(id)->task("nap") &&
                controller.run(id)->task("nap")->state == TaskState::Running);
    QTRY_VERIFY(workspace.runsPanel()->visibleRuns().contains(id));

    // The runs list's Cancel button asks; "No" leaves the run going.
    QPushButton *cancel = nullptr;
    for (QPushButton *b : workspace.runsPanel()->findChildren<QPushButton *>())
        if (b->text() == "Cancel")
            cancel = b;
    QVERIFY(cancel);
    QTRY_VERIFY(cancel->isEnabled());
    QString question;
    answerNextBox(this, QMessageBox::No, &question);
    cancel->click();
    QVERIFY2(question.contains("Cancel run"), qPrintable(question));
    QVERIFY(controller.isActive(id));
    answerNextBox(this, QMessageBox::Yes, &question);
    cancel->click();
    QTRY_VERIFY(!controller.isActive(id));
    QVERIFY(controller.run(id)->state == RunState::Cancelled);

    // One task was stopped, two never started: none of them is "done".
    auto *title = workspace.findChild<QLabel *>("runTitle");
    QVERIFY(title);
    QTRY_VERIFY2(title->text().contains("0/3 tasks done"), qPrintable(title->text()));
    QVERIFY2(title->text().contains("1 stopped"), qPrintable(title->text()));
    QVERIFY2(title->text().contains("2 not started"), qPrintable(title->text()));
}

// Issue 11.15: the run dialog is wide, describes each parameter, offers a run
// name and caching, and remembers the last values, caching included.
void TstStudioDefects::runDialogIsWideDescribedAndRemembers()
{
    auto pipeline = loadPipelineFile(writeFile("counting.pipewright.yaml", kCounting).toStdString());
    QVERIFY(pipeline.ok());
    RunController controller(m_dir.filePath("runs"));
    {
        RunParametersDialog dialog(*pipeline, controller.registry());
        dialog.show();
        QVERIFY(dialog.width() >= 760);
        auto *source = qobject_cast<QLineEdit *>(dialog.editor("source"));
        QVERIFY(source);
        // The long default is readable whole in its field.
        QVERIFY(source->width() > source->fontMetrics().horizontalAdvance(source->text()));
        bool described = false;
        for (QLabel *l : dialog.findChildren<QLabel *>())
            described = described || (l->isVisible() && l->text() == "Where the rows come from");
        QVERIFY(described);
        QVERIFY(dialog.findChild<QLineEdit *>("runName"));
        auto *cache = dialog.findChild<QCheckBox *>("cache");
        QVERIFY(cache && cache->isChecked());
        qobject_cast<QLineEdit *>(dialog.editor("limit"))->setText("25");
        cache->setChecked(false);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    RunParametersDialog again(*pipeline, controller.registry());
    QCOMPARE(qobject_cast<QLineEdit *>(again.editor("limit"))->text(), QString("25"));
    QVERIFY(!again.findChild<QCheckBox *>("cache")->isChecked());
    QVERIFY(!again.settings().cache);
}

// Issue 11.5: a condition compares parameters: no artifacts, nothing from
// inside the condition itself, values typed like the other side.
void TstStudioDefects::conditionPickerOffersOnlyFittingValues()
{
    MainWindow *w = openCounting();
    w->scene()->selectTask("report");
    QAction *group = nullptr;
    for (QAction *a : w->edits()->groupActions())
        if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_G))
            group = a;
    QVERIFY(group);
    group->trigger();
    const QString groupId = QString::fromStdString(w->document()->task("report")->group);
    QVERIFY(!groupId.isEmpty());
    GroupInspector *inspector = w->inspector()->groupInspector();
    QTRY_VERIFY(inspector->isVisible());
    auto *lhs = inspector->findChild<BindingEditor *>("group:lhs");
    auto *rhs = inspector->findChild<BindingEditor *>("group:rhs");
    QVERIFY(lhs && rhs);

    lhs->setMode(BindingEditor::Upstream);
    QStringList offered;
    for (int i = 0; i < lhs->upstreamCombo()->count(); ++i)
        offered << lhs->upstreamCombo()->itemText(i);
    QVERIFY2(!offered.join(',').contains("table"), qPrintable(offered.join(','))); // an artifact
    QVERIFY2(!offered.join(',').contains("said"), qPrintable(offered.join(',')));  // inside the condition
    QVERIFY2(offered.join(',').contains("row_count"), qPrintable(offered.join(',')));
    // Switching to an upstream output picked a value that compiles.
    const Group *g = w->document()->graph().group(groupId.toStdString());
    QVERIFY(g && g->condition);
    QCOMPARE(g->condition->lhs, Binding::taskOutput("counter", "row_count"));
    // The default right side, 'true', cannot be compared with an Integer: said at once.
    auto *mismatch = inspector->findChild<QLabel *>("group:conditionWarning");
    QVERIFY(mismatch);
    QTRY_VERIFY(mismatch->isVisible());
    QVERIFY2(mismatch->text().contains("Integer"), qPrintable(mismatch->text()));

    // An Integer on the left: the right side's 'true' is refused, 100 stays a number.
    rhs->setMode(BindingEditor::Constant);
    QLineEdit *value = rhs->constantEdit();
    value->setText("true");
    emit value->editingFinished();
    auto *warning = rhs->findChild<QLabel *>("group:rhs:error");
    QVERIFY(warning && warning->isVisible());
    value->setText("100");
    emit value->editingFinished();
    QVERIFY(!warning->isVisible());
    g = w->document()->graph().group(groupId.toStdString());
    QCOMPARE(g->condition->rhs, Binding::constant(100));
    QVERIFY(w->document()->text().find("'100'") == std::string::npos);
    QTRY_VERIFY(!mismatch->isVisible());
}

// Issue 11.4: each operand editor is as tall as what it shows.
void TstStudioDefects::conditionEditorsStayCompact()
{
    MainWindow *w = window();
    GroupInspector *inspector = w->inspector()->groupInspector();
    QVERIFY(inspector->isVisible());
    auto *lhs = inspector->findChild<BindingEditor *>("group:lhs");
    auto *rhs = inspector->findChild<BindingEditor *>("group:rhs");
    auto *op = inspector->findChild<QComboBox *>("group:op");
    QVERIFY(op);
    for (BindingEditor *e : {lhs, rhs})
        for (auto mode : {BindingEditor::Constant, BindingEditor::Upstream, BindingEditor::Parameter}) {
            e->setMode(mode);
            QApplication::processEvents();
            const int line = e->upstreamCombo()->sizeHint().height();
            // The mode box and one line, with room for a message: never a tower.
            QVERIFY2(e->height() <= 3 * line + 12,
                     qPrintable(QString("%1 %2 px").arg(e->objectName()).arg(e->height())));
        }
    QVERIFY2(op->height() <= op->sizeHint().height() + 4, qPrintable(QString::number(op->height())));
}

// Issue 11.6: the Parameters and Node pools tables show their rows in frames
// that fit them, and a node pool's cells say what they hold.
void TstStudioDefects::pipelineTablesShowEveryRow()
{
    MainWindow *w = window();
    QVERIFY(w->files()->open(test::testDataPath("documents/daily-batch.handwritten.pipewright.yaml")));
    w->scene()->clearSelection();
    PipelineInspector *inspector = w->inspector()->pipelineInspector();
    QTRY_VERIFY(inspector->isVisible());
    for (const char *name : {"pipeline:parameters", "pipeline:nodePools"}) {
        auto *rows = inspector->findChild<RowsTable *>(name);
        QVERIFY(rows);
        QTableWidget *table = rows->table();
        QVERIFY(table->rowCount() >= 1);
        const int last = table->rowCount() - 1;
        // Every row is inside the table's viewport.
        QVERIFY2(table->visualItemRect(table->item(last, 0)).bottom() <= table->viewport()->height(), name);
        auto *frame = qobject_cast<QWidget *>(rows->parent());
        QVERIFY2(
            frame->height() <= rows->height() + 60,
            qPrintable(
                QString("%1: frame %2 px around %3 px").arg(name).arg(frame->height()).arg(rows->height())));
    }
    QTableWidget *pools = inspector->findChild<RowsTable *>("pipeline:nodePools")->table();
    QVERIFY(pools->horizontalHeaderItem(1)->text().contains("=value"));
    QVERIFY(pools->horizontalHeaderItem(2)->text().contains("=value:Effect"));
    // A selector longer than its cell is read whole on hover.
    QCOMPARE(pools->item(0, 1)->toolTip(), pools->item(0, 1)->text());
    QVERIFY(pools->item(0, 1)->text().contains("cloud.google.com/gke-nodepool=high-mem"));
}

// Issue 11.7: the Pool box says what its empty entry means, and a new pool
// name typed there can be defined on the spot.
void TstStudioDefects::taskPoolCanBeDefinedWhereItIsTyped()
{
    MainWindow *w = openCounting();
    w->scene()->selectTask("counter");
    TaskInspector *inspector = w->inspector()->taskInspector();
    QTRY_VERIFY(inspector->isVisible());
    auto *pool = inspector->findChild<QComboBox *>("task:nodePool");
    QVERIFY(pool && pool->isEditable());
    QVERIFY(!pool->lineEdit()->placeholderText().isEmpty());
    auto *hint = inspector->findChild<QLabel *>("task:poolHint");
    QVERIFY(hint && hint->isVisible());
    QVERIFY2(hint->text().contains("no node pools"), qPrintable(hint->text()));

    pool->lineEdit()->setFocus();
    QTest::keyClicks(pool->lineEdit(), "gpu");
    auto *define = inspector->findChild<QPushButton *>("task:definePool");
    QVERIFY(define && define->isVisible());
    define->click();
    const Pipeline &p = w->document()->pipeline();
    QCOMPARE(p.nodePools.size(), std::size_t(1));
    QCOMPARE(p.nodePools.front().name, std::string("gpu"));
    QCOMPARE(w->document()->task("counter")->settings.nodePool, std::string("gpu"));
    QTRY_VERIFY(!define->isVisible());
    w->validateNow();
    for (const Problem &problem : validatePipeline(p))
        QVERIFY2(problem.message.find("nodePools") == std::string::npos, problem.message.c_str());
    // One undo step takes both back.
    w->document()->undoStack()->undo();
    QVERIFY(w->document()->pipeline().nodePools.empty());
    QVERIFY(w->document()->task("counter")->settings.nodePool.empty());
}

// Issue 11.14: what only Vertex refuses shows in Problems, and Vertex's
// output directory can be typed in.
void TstStudioDefects::targetErrorsReachProblems()
{
    MainWindow *w = openCounting();
    w->validateNow();
    QCOMPARE(w->problems()->errorCount(), 0);
    CompilePreview *preview = w->preview();
    preview->setTarget(CompileTarget::Vertex);
    QTRY_VERIFY(w->problems()->errorCount() == 1);
    QTreeWidgetItem *row = w->problems()->topLevelItem(0);
    QVERIFY2(row->text(0).contains("Vertex") && row->text(0).contains("output directory"),
             qPrintable(row->text(0)));
    auto *dir = preview->findChild<QLineEdit *>("previewOutputDir");
    QVERIFY(dir);
    QTRY_VERIFY(dir->isVisible());
    dir->setText("gs://bucket/outputs");
    QTRY_COMPARE(w->problems()->errorCount(), 0);
    QVERIFY(preview->text().contains("gs://bucket/outputs"));
    preview->setTarget(CompileTarget::PipelineSpec);
    QVERIFY(!dir->isVisible());
}

// Issue 11.13: Export opens in the document's folder with the target's file
// type, and says where it wrote.
void TstStudioDefects::exportStartsBesideTheDocumentAndSaysSo()
{
    MainWindow *w = openCounting();
    CompilePreview *preview = w->preview();
    preview->setTarget(CompileTarget::Argo);
    QString folder;
    QStringList filters;
    const QString target = m_dir.filePath("exported.argo.yaml");
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        folder = dialog->directory().absolutePath();
        filters = dialog->nameFilters();
        dialog->selectFile(target);
        QMetaObject::invokeMethod(dialog, "accept");
    });
    preview->exportToFile();
    QCOMPARE(folder, QDir(m_dir.path()).absolutePath());
    QVERIFY2(!filters.join(',').contains("*)") && filters.join(',').contains("*.yaml"),
             qPrintable(filters.join(',')));
    QVERIFY(QFile::exists(target));
    QVERIFY2(w->statusBar()->currentMessage().contains("exported.argo.yaml"),
             qPrintable(w->statusBar()->currentMessage()));
}

// Issue 11.18: "Saved …" goes away once the document changes again.
void TstStudioDefects::statusMessagesDoNotOutliveTheNextEdit()
{
    MainWindow *w = openCounting();
    QVERIFY(w->files()->saveAs(m_dir.filePath("saved.pipewright.yaml")));
    QVERIFY2(w->statusBar()->currentMessage().contains("Saved"),
             qPrintable(w->statusBar()->currentMessage()));
    QVERIFY(pushTaskEdit(w->document(), "report", "display name", [](Task &t) { t.displayName = "Report"; }));
    QCOMPARE(w->statusBar()->currentMessage(), QString());
}

// Issue 11.17: a metadata file with four visualizations is one row.
void TstStudioDefects::artifactsListEachFileOnce()
{
    RunGraph run;
    run.id = "r1";
    run.name = "evaluated";
    run.state = RunState::Succeeded;
    TaskRecord evaluator;
    evaluator.id = evaluator.name = "evaluator";
    evaluator.kind = "container";
    evaluator.state = TaskState::Succeeded;
    run.tasks.push_back(evaluator);
    const std::string metadata =
        m_dir.filePath("runs/r1/evaluator/mlpipeline_ui_metadata.json").toStdString();
    auto artifact = [&](const char *name, const std::string &uri, const char *shows) {
        ArtifactRecord a;
        a.task = "evaluator";
        a.name = name;
        a.uri = uri;
        a.type = "system.Artifact";
        a.visualization = shows;
        run.artifacts.push_back(a);
    };
    for (const char *shows : {"metrics", "confusion_matrix", "roc", "markdown"})
        artifact("mlpipeline_ui_metadata", metadata, shows);
    artifact("model", "/tmp/model", "");
    TaskDetails details;
    details.resize(700, 500);
    details.show();
    details.setTask(run, "evaluator", {});
    QTreeWidget *list = details.artifactList();
    QCOMPARE(list->topLevelItemCount(), 2);
    QTreeWidgetItem *row = list->findItems("mlpipeline_ui_metadata", Qt::MatchExactly).value(0);
    QVERIFY(row);
    QCOMPARE(row->text(2), QString("metrics, confusion_matrix, roc, markdown"));
    QCOMPARE(row->toolTip(3), QString::fromStdString(metadata));
    QCOMPARE(list->textElideMode(), Qt::ElideMiddle);
}

// Issue 11.8: going to the Runs page and back, or opening files, leaves the
// window the size the user gave it.
void TstStudioDefects::windowKeepsItsSize()
{
    auto w = newWindow();
    w->resize(1500, 900);
    QApplication::processEvents();
    const QSize size = w->size();
    for (int i = 0; i < 3; ++i) {
        w->showPage(MainWindow::Page::Runs);
        QApplication::processEvents();
        w->showPage(MainWindow::Page::Pipeline);
        QApplication::processEvents();
        QVERIFY(w->files()->open(test::testDataPath("documents/daily-batch.handwritten.pipewright.yaml")));
        QVERIFY(w->files()->open(writeFile("counting.pipewright.yaml", kCounting)));
        QApplication::processEvents();
        QVERIFY2(w->size() == size, qPrintable(QString("%1x%2").arg(w->width()).arg(w->height())));
    }
    // What a real window manager enforces: the window never needs more than a small screen.
    QVERIFY2(w->minimumSizeHint().width() <= 1280, qPrintable(QString::number(w->minimumSizeHint().width())));
}

// Issue 11.11: the studio started with file A after a crash in file B
// recovers B in a window of its own and leaves A as it is.
void TstStudioDefects::recoveringAnotherFileLeavesTheOpenOneAlone()
{
    m_window.reset();
    const QString b = writeFile("b.pipewright.yaml", kCounting);
    {
        auto crashed = newWindow();
        QVERIFY(crashed->files()->open(b));
        QVERIFY(pushTaskEdit(crashed->document(), "report", "display name",
                             [](Task &t) { t.displayName = "B edit"; }));
        crashed->files()->autosaveNow();
    } // gone without a close event: its recovery copy stays
    QCOMPARE(FileController::recoverableSessions().size(), 1);

    const QString a = writeFile("a.pipewright.yaml", kCounting);
    auto w = newWindow();
    QVERIFY(w->files()->open(a));
    const std::string original = w->document()->text();
    QString question;
    answerNextBox(this, QMessageBox::Yes, &question);
    w->offerRecovery();
    QVERIFY2(question.contains("b.pipewright.yaml") && question.contains("new window"), qPrintable(question));
    // A is untouched; B came back, edited, in another window.
    QCOMPARE(w->document()->filePath(), a);
    QCOMPARE(w->document()->text(), original);
    QVERIFY(!w->document()->isModified());
    MainWindow *other = nullptr;
    for (QWidget *top : QApplication::topLevelWidgets())
        if (auto *mw = qobject_cast<MainWindow *>(top);
            mw && mw != w.get() && mw->isVisible() && mw->document()->filePath() == b)
            other = mw;
    QVERIFY(other);
    QCOMPARE(other->document()->task("report")->displayName, std::string("B edit"));
    QVERIFY(other->document()->isModified());
    other->files()->setPrompt([] { return FileController::Answer::Discard; });
    QVERIFY(other->close());
}

// Issue 11.19: right clicks on tasks, edges and the canvas offer what fits
// there; Help has a shortcut sheet and About.
void TstStudioDefects::canvasItemsHaveContextMenusAndHelpListsShortcuts()
{
    MainWindow *w = openCounting();
    CanvasView *view = w->canvas();
    view->setZoom(1.0);
    TaskItem *counter = w->scene()->taskItem("counter");
    QVERIFY(counter);
    view->centerOn(counter);
    QApplication::processEvents();
    // The menu that pops up for a right click at `pos`, by its commands.
    auto menuAt = [&](const QPoint &pos) {
        QContextMenuEvent event(QContextMenuEvent::Mouse, pos, view->viewport()->mapToGlobal(pos));
        QApplication::sendEvent(view->viewport(), &event);
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        QStringList texts;
        for (QAction *a : menu ? menu->actions() : QList<QAction *>{})
            if (!a->isSeparator())
                texts << a->text().remove('&');
        if (menu)
            menu->close();
        return texts;
    };
    w->scene()->clearSelection();
    const QStringList onTask = menuAt(view->mapFromScene(counter->sceneBoundingRect().center()));
    QVERIFY2(onTask.contains("Delete") && onTask.contains("Duplicate") &&
                 onTask.contains("Group in Condition"),
             qPrintable(onTask.join(',')));
    QCOMPARE(w->scene()->selectedTaskIds(), QStringList{"counter"}); // what the menu acts on
    EdgeItem *edge = nullptr;
    for (QGraphicsItem *item : w->scene()->items())
        if (item->type() == EdgeItem::Type)
            edge = static_cast<EdgeItem *>(item);
    QVERIFY(edge); // report runs after counter
    w->scene()->clearSelection();
    const QStringList onEdge = menuAt(view->mapFromScene(edge->mapToScene(edge->path().pointAtPercent(0.5))));
    QCOMPARE(onEdge, QStringList{"Delete"});
    QCOMPARE(w->scene()->selectedEdges().size(), 1);
    const QStringList onCanvas = menuAt(QPoint(3, 3));
    QVERIFY2(onCanvas.contains("Paste") && onCanvas.contains("Fit Pipeline"), qPrintable(onCanvas.join(',')));
    QVERIFY(!onCanvas.contains("Delete"));

    auto *help = w->menuBar()->findChild<QMenu *>("helpMenu");
    QVERIFY(help);
    QAction *sheet = w->findChild<QAction *>("shortcutsAction");
    QVERIFY(sheet && help->actions().contains(sheet));
    QVERIFY(w->findChild<QAction *>("aboutAction"));
    bool listed = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<ShortcutsDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        QTableWidget *table = dialog->table();
        for (int r = 0; r < table->rowCount(); ++r)
            listed = listed || (table->item(r, 1)->text() == "Group in Condition" &&
                                table->item(r, 2)->text() ==
                                    QKeySequence(Qt::CTRL | Qt::Key_G).toString(QKeySequence::NativeText));
        dialog->reject();
    });
    sheet->trigger();
    QVERIFY(listed);
}

// Issue 11.20: a drop clears the palette's selection and brings the
// Inspector forward; the toolbar's Undo keeps its width whatever it undoes.
void TstStudioDefects::dropsLeaveThePaletteAndToolbarSteady()
{
    MainWindow *w = openCounting();
    auto *toolbar = w->findChild<QToolBar *>("mainToolBar");
    QVERIFY(toolbar);
    QAction *undo = w->findChild<QAction *>("toolbarUndo");
    QVERIFY(undo);
    QWidget *undoButton = toolbar->widgetForAction(undo);
    QVERIFY(undoButton);
    const int width = undoButton->width();

    // Another dock in front of the Inspector, a palette row selected, then a drop.
    // Which of the Inspector's tabbed docks is in front.
    auto front = [w] {
        for (QTabBar *tabs : w->findChildren<QTabBar *>())
            for (int i = 0; i < tabs->count(); ++i)
                if (tabs->tabText(i) == "Inspector")
                    return tabs->tabText(tabs->currentIndex());
        return QString();
    };
    w->findChild<QDockWidget *>("previewDock")->raise();
    QTRY_COMPARE(front(), QString("Compile Preview"));
    QTreeWidgetItem *echo = w->palette()->itemFor("Echo");
    QVERIFY(echo);
    w->palette()->tree()->setCurrentItem(echo);
    QVERIFY(echo->isSelected());
    QSignalSpy dropped(w->canvas(), &CanvasView::componentDropped);
    emit w->canvas()->componentDropped(echo->data(0, Qt::UserRole).toString(), QPointF(400, 300));
    QCOMPARE(w->document()->graph().tasks.size(), std::size_t(3));
    QVERIFY(!echo->isSelected());
    QTRY_COMPARE(front(), QString("Inspector"));
    QVERIFY(w->edits()->undoAction()->text().size() > 8); // "Undo Add Echo", not just "Undo"
    QApplication::processEvents();
    QCOMPARE(undoButton->width(), width);
    undo->trigger();
    QCOMPARE(w->document()->graph().tasks.size(), std::size_t(2));
}

// Code review: two different components of one name pasted into a document
// whose component ids are in the way each keep their own definition.
void TstStudioDefects::pastedTasksKeepTheirOwnComponents()
{
    const QString echo = QString(R"(  %1:
    name: Echo
    inputs:
      text: {type: String}
    container:
      image: %2
      command: [echo, {inputValue: text}]
)");
    // The document: an "echo" and an "echo-2-2" of its own, both different from what is pasted.
    const QString document = QString("pipewright: 1\nname: target\ncomponents:\n") +
                             echo.arg("echo", "alpine:1") + echo.arg("echo-2-2", "alpine:2") +
                             "tasks:\n  mine: {component: echo, arguments: {text: a}}\n"
                             "  other: {component: echo-2-2, arguments: {text: b}}\n";
    const QString fragment = QString("pipewright: 1\nname: clipboard\ncomponents:\n") +
                             echo.arg("first", "busybox:1") + echo.arg("second", "busybox:2") +
                             "tasks:\n  one: {component: first, arguments: {text: x}}\n"
                             "  two: {component: second, arguments: {text: y}}\n";
    auto loaded = readDocument(document.toStdString(), "target.pipewright.yaml");
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    PipelineDocument doc;
    doc.reset(*loaded, {});
    auto *paste = new PasteCommand(&doc, fragment.toStdString(), {40, 40});
    QVERIFY2(paste->isValid(), qPrintable(paste->error()));
    const QStringList pasted = paste->pastedTaskIds();
    doc.undoStack()->push(paste);
    QCOMPARE(pasted.size(), 2);
    std::map<std::string, std::string> images;
    for (const QString &id : pasted) {
        const Task *t = doc.task(id);
        QVERIFY(t);
        const Component *c = doc.pipeline().component(t->component);
        QVERIFY(c);
        images[t->arguments.at("text").value.get<std::string>()] = c->container.image;
    }
    QCOMPARE(images.at("x"), std::string("busybox:1"));
    QCOMPARE(images.at("y"), std::string("busybox:2"));
    // What was there before is untouched.
    QCOMPARE(doc.pipeline().component("echo-2-2")->container.image, std::string("alpine:2"));
    QCOMPARE(doc.pipeline().components.size(), std::size_t(4));
    doc.undoStack()->undo();
    QCOMPARE(doc.pipeline().components.size(), std::size_t(2));
}

// Found by these tests: opening a file while a task and an edge were
// selected read deleted items (the inspector followed each deselection).
void TstStudioDefects::openingWithItemsSelectedIsSafe()
{
    MainWindow *w = openCounting();
    for (QGraphicsItem *item : w->scene()->items())
        if (item->type() == EdgeItem::Type || item->type() == TaskItem::Type)
            item->setSelected(true);
    QVERIFY(w->scene()->selectedEdges().size() >= 1);
    QVERIFY(w->scene()->selectedTaskIds().size() == 2);
    QVERIFY(w->files()->open(writeFile("again.pipewright.yaml", kCounting)));
    QVERIFY(w->scene()->selectedTaskIds().isEmpty());
    QVERIFY(w->inspector()->pipelineInspector()->isVisible());
}

void TstStudioDefects::cleanupTestCase()
{
    m_window.reset();
}

PW_UI_TEST_MAIN(TstStudioDefects)
#include "tst_studiodefects.moc"
