// SPDX-License-Identifier: Apache-2.0
// Drives the real studio window under the offscreen platform: palette drops,
// drawing edges with the mouse, refusals, the inspector, the compile
// preview, undo back to the original bytes, save/reopen and crash recovery.
#include "uitest.h"

#include "inspector/rowstable.h"
#include "targets/compiletarget.h"
#include "testdata.h"
#include "validate/validator.h"
#include "canvas/canvasview.h"
#include "canvas/edgeitem.h"
#include "canvas/groupframeitem.h"
#include "canvas/pipelinescene.h"
#include "canvas/portitem.h"
#include "canvas/taskitem.h"
#include "document/commands/settingscommands.h"
#include "document/pipelinedocument.h"
#include "formats/document.h"
#include "inspector/bindingeditor.h"
#include "inspector/inspectorpanel.h"
#include "inspector/taskinspector.h"
#include "mainwindow/editcontroller.h"
#include "mainwindow/filecontroller.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/viewcontroller.h"
#include "palette/palettetree.h"
#include "palette/palettewidget.h"
#include "preview/compilepreview.h"
#include "problems/problemspanel.h"

#include <QPainter>
#include <QTableWidget>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLineEdit>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <memory>

using namespace pw;

class TstStudio final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void addTaskFromPalette();
    void paletteSearchAndActivate();
    void connectTwoPorts();
    void refuseBadConnections();
    void moveAndDeleteWithMouseAndKeys();
    void editArgumentShowsInPreview();
    void undoEverythingByteForByte();
    void saveAndReopen();
    void recoverAfterCrash();
    void copyPasteAcrossWindows();
    void autoLayoutAndGroup();
    void dragFrameMovesItsTasks();
    void editingSecretsKeepsWhatTheTableCannotShow();
    void subPipelineExpandsAndCollapses();
    void conditionGrowsElifAndElseBranches();
    void renamingAParameterKeepsItsBindings();
    void cleanupTestCase();

private:
    std::unique_ptr<MainWindow> newWindow();
    QString dropComponent(MainWindow *w, const QString &name, const QPointF &scenePos);
    QPoint viewPos(MainWindow *w, const QPointF &scenePos) const;
    QPoint portPos(MainWindow *w, const QString &task, const QString &port, bool output) const;

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    std::string m_original, m_final;
    QString m_echo, m_concat, m_gen;
    std::unique_ptr<MainWindow> m_recovered;
};

std::unique_ptr<MainWindow> TstStudio::newWindow()
{
    auto w = pw::test::shownStudioWindow();
    w->canvas()->setZoom(1.0);
    w->canvas()->centerOn(QPointF(260, 120));
    return w;
}

QPoint TstStudio::viewPos(MainWindow *w, const QPointF &scenePos) const
{
    return w->canvas()->mapFromScene(scenePos);
}

QPoint TstStudio::portPos(MainWindow *w, const QString &task, const QString &port, bool output) const
{
    TaskItem *item = w->scene()->taskItem(task);
    if (!item)
        return {};
    PortItem *p = output ? item->output(port) : item->input(port);
    return p ? viewPos(w, p->anchor()) : QPoint();
}

QString TstStudio::dropComponent(MainWindow *w, const QString &name, const QPointF &scenePos)
{
    QTreeWidgetItem *item = w->palette()->itemFor(name);
    if (!item)
        return {};
    PaletteTree *tree = w->palette()->tree();
    const QModelIndex index = tree->model()->index(tree->indexOfTopLevelItem(item->parent()), 0);
    const QModelIndex child = tree->model()->index(item->parent()->indexOfChild(item), 0, index);
    std::unique_ptr<QMimeData> mime(tree->model()->mimeData({child}));
    if (!mime)
        return {};
    QWidget *viewport = w->canvas()->viewport();
    const QPoint at = viewPos(w, scenePos);
    QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, {});
    QApplication::sendEvent(viewport, &enter);
    if (!enter.isAccepted())
        return {};
    QDropEvent drop(QPointF(at), Qt::CopyAction, mime.get(), Qt::LeftButton, {});
    QApplication::sendEvent(viewport, &drop);
    const QStringList selected = w->scene()->selectedTaskIds();
    return selected.size() == 1 ? selected.front() : QString();
}

void TstStudio::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_window = newWindow();
    m_original = m_window->document()->text();
    QVERIFY(m_window->palette()->library().entries().size() >= 10);
}

void TstStudio::addTaskFromPalette()
{
    MainWindow *w = m_window.get();
    m_echo = dropComponent(w, "Echo", {0, 0});
    QCOMPARE(m_echo, QString("echo"));
    m_concat = dropComponent(w, "Concat text", {320, 0});
    QCOMPARE(m_concat, QString("concat-text"));
    m_gen = dropComponent(w, "CSV ExampleGen", {0, 200});
    QCOMPARE(m_gen, QString("csv-examplegen"));
    const Pipeline &p = w->document()->pipeline();
    QCOMPARE(p.root.tasks.size(), std::size_t(3));
    QCOMPARE(p.layout.tasks.at("concat-text").x, 320.0);
    QVERIFY(w->scene()->taskItem(m_echo));
    QVERIFY(w->document()->isModified());
    // The drop selected the new task, so the inspector shows it.
    QCOMPARE(w->inspector()->taskInspector()->taskId(), m_gen);
}

void TstStudio::paletteSearchAndActivate()
{
    MainWindow *w = m_window.get();
    QTest::keyClicks(w->palette()->searchBox(), "json path");
    QTreeWidgetItem *item = w->palette()->itemFor("JSON path extract");
    QVERIFY(item && !item->isHidden());
    QVERIFY(w->palette()->itemFor("Echo")->isHidden());
    w->palette()->tree()->setCurrentItem(item);
    QTest::keyClick(w->palette()->tree(), Qt::Key_Return);
    QCOMPARE(w->document()->graph().tasks.size(), std::size_t(4));
    w->document()->undoStack()->undo();
    QCOMPARE(w->document()->graph().tasks.size(), std::size_t(3));
    w->palette()->searchBox()->clear();
    QVERIFY(!w->palette()->itemFor("Echo")->isHidden());
}

void TstStudio::connectTwoPorts()
{
    MainWindow *w = m_window.get();
    const QPoint from = portPos(w, m_echo, "echoed", true);
    const QPoint to = portPos(w, m_concat, "first", false);
    QVERIFY(!from.isNull() && !to.isNull());
    QSignalSpy made(w->scene(), &PipelineScene::connectionMade);
    test::drag(w->canvas()->viewport(), from, to);
    QCOMPARE(made.count(), 1);
    const Task *concat = w->document()->task(m_concat);
    QVERIFY(concat->arguments.count("first"));
    QCOMPARE(concat->arguments.at("first"), Binding::taskOutput("echo", "echoed"));
    QCOMPARE(w->scene()->edges().size(), 1);
    QVERIFY(w->scene()->taskItem(m_concat)->input("first")->isVisible());
}

void TstStudio::refuseBadConnections()
{
    MainWindow *w = m_window.get();
    const std::string before = w->document()->text();
    QSignalSpy refused(w->scene(), &PipelineScene::connectionRefused);
    // A Dataset artifact into a String parameter.
    test::drag(w->canvas()->viewport(), portPos(w, m_gen, "train", true), portPos(w, m_echo, "message", false));
    QCOMPARE(refused.count(), 1);
    QVERIFY2(refused.at(0).at(0).toString().contains("Incompatible types"), qPrintable(refused.at(0).at(0).toString()));
    // concat reads echo, so echo reading concat would close a cycle.
    test::drag(w->canvas()->viewport(), portPos(w, m_concat, "text", true), portPos(w, m_echo, "message", false));
    QCOMPARE(refused.count(), 2);
    QVERIFY2(refused.at(1).at(0).toString().contains("cycle"), qPrintable(refused.at(1).at(0).toString()));
    QCOMPARE(w->document()->text(), before);
}

void TstStudio::moveAndDeleteWithMouseAndKeys()
{
    MainWindow *w = m_window.get();
    // Drag the node by its title bar: only the layout section changes.
    const QPoint grab = viewPos(w, {60, 12});
    test::drag(w->canvas()->viewport(), grab, grab + QPoint(100, 40));
    const auto pos = w->document()->taskPosition(m_echo);
    QVERIFY(pos);
    QCOMPARE(pos->x, 100.0);
    QCOMPARE(pos->y, 40.0);
    QCOMPARE(w->document()->task(m_concat)->arguments.at("first"), Binding::taskOutput("echo", "echoed"));

    // Rubber band around the ExampleGen node, then the Delete key.
    w->activateWindow();
    [[maybe_unused]] bool active = QTest::qWaitForWindowActive(w);
    w->canvas()->setFocus();
    test::drag(w->canvas()->viewport(), viewPos(w, {-30, 180}), viewPos(w, {230, 340}));
    QCOMPARE(w->scene()->selectedTaskIds(), QStringList{m_gen});
    QTest::keyClick(w->canvas(), Qt::Key_Delete);
    QVERIFY(!w->document()->task(m_gen));
    QVERIFY(!w->scene()->taskItem(m_gen));
    QCOMPARE(w->document()->pipeline().components.count("csv-examplegen"), std::size_t(0));
}

void TstStudio::editArgumentShowsInPreview()
{
    MainWindow *w = m_window.get();
    auto setConstant = [&](const QString &task, const QString &input, const QString &text) {
        w->scene()->selectTask(task);
        QCOMPARE(w->inspector()->taskInspector()->taskId(), task);
        BindingEditor *editor = w->inspector()->taskInspector()->argumentEditor(input);
        QVERIFY(editor);
        auto *mode = editor->findChild<QComboBox *>("arg:" + input + ":mode");
        QVERIFY(mode);
        mode->setCurrentIndex(mode->findData(BindingEditor::Constant));
        QLineEdit *value = editor->constantEdit();
        value->setFocus();
        value->selectAll();
        QTest::keyClicks(value, text);
        QTest::keyClick(value, Qt::Key_Return);
    };
    setConstant(m_echo, "message", "hello-from-studio");
    QCOMPARE(w->document()->task(m_echo)->arguments.at("message"), Binding::constant("hello-from-studio"));
    setConstant(m_concat, "second", "world");
    QCOMPARE(w->document()->task(m_concat)->arguments.at("second"), Binding::constant("world"));

    w->findChild<QDockWidget *>("previewDock")->raise();
    QTRY_VERIFY_WITH_TIMEOUT(w->preview()->text().contains("hello-from-studio"), 5000);
    QVERIFY(w->preview()->text().contains("pipelineInfo"));
    w->preview()->setTarget(CompileTarget::Argo);
    QTRY_VERIFY(w->preview()->text().contains("kind: Workflow"));
    QVERIFY(w->preview()->text().contains("hello-from-studio"));
    w->preview()->setTarget(CompileTarget::PipelineSpec);

    // The problems panel follows: no errors now that every input is bound.
    w->validateNow();
    QCOMPARE(w->problems()->errorCount(), 0);
}

void TstStudio::undoEverythingByteForByte()
{
    MainWindow *w = m_window.get();
    QUndoStack *stack = w->document()->undoStack();
    m_final = w->document()->text();
    QVERIFY(stack->count() >= 6);
    for (int round = 0; round < 2; ++round) {
        while (stack->canUndo())
            stack->undo();
        QCOMPARE(w->document()->text(), m_original);
        QVERIFY(!w->document()->isModified());
        QCOMPARE(w->scene()->taskCount(), 0);
        while (stack->canRedo())
            stack->redo();
        QCOMPARE(w->document()->text(), m_final);
        QCOMPARE(w->scene()->edges().size(), 1);
    }
}

void TstStudio::saveAndReopen()
{
    MainWindow *w = m_window.get();
    const QString path = m_dir.filePath("studio-test.pipewright.yaml");
    QVERIFY(w->files()->saveAs(path));
    QVERIFY(!w->document()->isModified());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll().toStdString(), m_final);
    QVERIFY(w->files()->open(path));
    QCOMPARE(w->document()->text(), m_final);
    QCOMPARE(w->document()->filePath(), path);
    QCOMPARE(w->scene()->taskCount(), 2);
    QCOMPARE(FileController::recentFiles().value(0), path);
}

void TstStudio::recoverAfterCrash()
{
    MainWindow *w = m_window.get();
    QVERIFY(pushTaskEdit(w->document(), m_echo, "display name", [](Task &t) { t.displayName = "Say hello"; }));
    w->files()->autosaveNow();
    const std::string crashed = w->document()->text();
    const QString recoveryFile = w->files()->recoveryFile();
    QVERIFY(QFile::exists(recoveryFile));
    // The crash: the window goes away without a close event or a save.
    m_window.reset();
    QVERIFY(QFile::exists(recoveryFile));

    m_recovered = newWindow();
    const auto sessions = FileController::recoverableSessions();
    QCOMPARE(sessions.size(), 1);
    QCOMPARE(sessions.front().originalPath, m_dir.filePath("studio-test.pipewright.yaml"));
    QVERIFY(m_recovered->files()->recover(sessions.front()));
    QCOMPARE(m_recovered->document()->text(), crashed);
    QVERIFY(m_recovered->document()->isModified());
    QCOMPARE(m_recovered->document()->task(m_echo)->displayName, std::string("Say hello"));
    // The recovered edits are one undo step away from the saved file.
    m_recovered->document()->undoStack()->undo();
    QCOMPARE(m_recovered->document()->text(), m_final);
    m_recovered->document()->undoStack()->redo();
    QCOMPARE(m_recovered->document()->text(), crashed);
}

void TstStudio::copyPasteAcrossWindows()
{
    MainWindow *source = m_recovered.get();
    source->scene()->selectTask(m_echo);
    source->edits()->copySelection();
    auto target = newWindow();
    QVERIFY(target->edits()->paste());
    const Pipeline &p = target->document()->pipeline();
    QCOMPARE(p.root.tasks.size(), std::size_t(1));
    QCOMPARE(p.root.tasks.front().displayName, std::string("Say hello"));
    QCOMPARE(p.root.tasks.front().arguments.at("message"), Binding::constant("hello-from-studio"));
    QVERIFY(p.component(p.root.tasks.front().component));
    // Pasting again gives fresh ids.
    QVERIFY(target->edits()->paste());
    QCOMPARE(target->document()->graph().tasks.at(1).id, std::string("echo-2"));
    target->document()->undoStack()->undo();
    target->document()->undoStack()->undo();
    QCOMPARE(target->document()->graph().tasks.size(), std::size_t(0));
}

void TstStudio::autoLayoutAndGroup()
{
    MainWindow *w = m_recovered.get();
    const std::string before = w->document()->text();
    QVERIFY(w->views()->autoLayout(false));
    const auto echo = w->document()->taskPosition(m_echo);
    const auto concat = w->document()->taskPosition(m_concat);
    QVERIFY(echo && concat);
    QVERIFY(concat->y > echo->y); // top to bottom: the consumer sits below
    w->document()->undoStack()->undo();
    QCOMPARE(w->document()->text(), before);

    w->scene()->selectTask(m_concat);
    const auto groupActions = w->edits()->groupActions();
    groupActions.at(0)->trigger();
    const Task *t = w->document()->task(m_concat);
    QVERIFY(!t->group.empty());
    QCOMPARE(w->scene()->selectedGroupIds(), QStringList{QString::fromStdString(t->group)});
    w->document()->undoStack()->undo();
    QCOMPARE(w->document()->text(), before);
}

// A frame dragged by its title takes every task inside along; groups stay,
// and one undo puts everything back.
void TstStudio::dragFrameMovesItsTasks()
{
    MainWindow *w = m_recovered.get();
    const std::string before = w->document()->text();
    w->scene()->selectTask(m_concat);
    w->edits()->groupActions().at(1)->trigger(); // loop
    const std::string group = w->document()->task(m_concat)->group;
    QVERIFY(!group.empty());
    const std::string grouped = w->document()->text();
    GroupFrameItem *frame = w->scene()->groupItem(QString::fromStdString(group));
    QVERIFY(frame);
    const auto start = w->document()->taskPosition(m_concat);
    QVERIFY(start);
    w->canvas()->centerOn(frame->frame().center());
    const QPoint title = viewPos(w, frame->frame().topLeft() + QPointF(frame->frame().width() / 2, 8));
    // The press lands on the frame's title, not on a task.
    const QList<QGraphicsItem *> under = w->scene()->items(w->canvas()->mapToScene(title));
    QVERIFY(!under.isEmpty() && qgraphicsitem_cast<GroupFrameItem *>(under.front()));
    test::drag(w->canvas()->viewport(), title, title + QPoint(120, 60));
    const auto moved = w->document()->taskPosition(m_concat);
    QVERIFY(moved);
    QCOMPARE(moved->x, start->x + 120);
    QCOMPARE(moved->y, start->y + 60);
    QCOMPARE(w->document()->task(m_concat)->group, group);
    QVERIFY(w->document()->taskPosition(m_echo) == std::nullopt ||
            w->document()->taskPosition(m_echo)->x != moved->x); // tasks outside stay
    w->document()->undoStack()->undo();
    QCOMPARE(w->document()->text(), grouped);
    w->document()->undoStack()->undo();
    QCOMPARE(w->document()->text(), before);
}

// A secret whose name comes from a pipeline parameter shows as text in the
// inspector's table; editing another cell of its row must not turn the name
// into a constant or drop `optional`.
void TstStudio::editingSecretsKeepsWhatTheTableCannotShow()
{
    MainWindow *w = m_recovered.get();
    const std::string before = w->document()->text();
    ObjectRef secret;
    secret.name = Binding::parameter("secret_name");
    secret.optional = true;
    secret.mountPath = "/old";
    QVERIFY(pushTaskEdit(w->document(), m_concat, "secrets", [&](Task &t) { t.settings.secrets = {secret}; }));
    w->scene()->selectTask(m_concat);
    auto *rows = w->inspector()->findChild<RowsTable *>("task:secrets");
    QVERIFY(rows);
    QTRY_COMPARE(rows->table()->rowCount(), 1);
    rows->table()->item(0, 2)->setText("/etc/creds");
    const ObjectRef &edited = w->document()->task(m_concat)->settings.secrets.at(0);
    QCOMPARE(edited.mountPath, std::string("/etc/creds"));
    QVERIFY(edited.name == Binding::parameter("secret_name"));
    QCOMPARE(edited.optional, std::optional<bool>(true));
    // Edits of one field merge into one undo step, like typing.
    w->document()->undoStack()->undo();
    QCOMPARE(w->document()->text(), before);
}

// Double-clicking a sub-pipeline node shows its inner tasks below its ports;
// again hides them. Only the view changes, never the document.
void TstStudio::subPipelineExpandsAndCollapses()
{
    auto w = newWindow();
    QVERIFY(w->files()->open(test::testDataPath("documents/subpipeline.pipewright.yaml")));
    const std::string text = w->document()->text();
    TaskItem *node = w->scene()->taskItem("per-region");
    QVERIFY(node && node->isSubPipeline());
    QVERIFY(!node->isExpanded());
    const qreal collapsed = node->height();
    w->canvas()->setZoom(1.0);
    w->canvas()->centerOn(node->sceneBoundingRect().center());
    const QPoint title = viewPos(w.get(), node->mapToScene(QPointF(TaskItem::kWidth / 2, 10)));
    QTest::mouseDClick(w->canvas()->viewport(), Qt::LeftButton, {}, title);
    QVERIFY(node->isExpanded());
    QVERIFY(node->height() > collapsed + 40);
    QCOMPARE(node->innerTasks().size(), 4);
    QVERIFY(node->innerTasks().contains("Train") || node->innerTasks().contains("train"));
    if (const QString dir = qEnvironmentVariable("PW_STUDIO_SCREENSHOTS"); !dir.isEmpty()) {
        const QRectF area = node->sceneBoundingRect().adjusted(-260, -60, 60, 40);
        QImage image((area.size() * 2).toSize(), QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        w->scene()->render(&painter, QRectF(), area);
        painter.end();
        QVERIFY(image.save(dir + "/studio-subpipeline.png"));
    }
    QTest::mouseDClick(w->canvas()->viewport(), Qt::LeftButton, {}, title);
    QVERIFY(!node->isExpanded());
    QCOMPARE(node->height(), collapsed);
    QCOMPARE(w->document()->text(), text);
}

// A condition frame plus tasks selected: "Add Else-If Branch" turns the
// condition into the first branch of an if/elif/else chain; "Add Else Branch"
// closes it, and a second else is refused. The result compiles.
void TstStudio::conditionGrowsElifAndElseBranches()
{
    const QString path = m_dir.filePath("branches.pipewright.yaml");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("pipewright: 1\n"
               "name: coin\n"
               "components:\n"
               "  say:\n"
               "    name: Say\n"
               "    inputs:\n"
               "      text: {type: String}\n"
               "    container:\n"
               "      image: alpine:3.19\n"
               "      command: [echo, {inputValue: text}]\n"
               "tasks:\n"
               "  heads:\n"
               "    component: say\n"
               "    group: is-heads\n"
               "    arguments: {text: heads}\n"
               "  edge:\n"
               "    component: say\n"
               "    arguments: {text: edge}\n"
               "  tails:\n"
               "    component: say\n"
               "    arguments: {text: tails}\n"
               "groups:\n"
               "  is-heads:\n"
               "    kind: condition\n"
               "    condition: {lhs: {param: side}, op: '==', rhs: heads}\n"
               "inputs:\n"
               "  side: {type: String, default: heads}\n");
    file.close();
    auto w = newWindow();
    QVERIFY2(w->files()->open(path), qPrintable(w->files()->lastError()));
    const std::string original = w->document()->text();
    QAction *elif = nullptr, *otherwise = nullptr;
    for (QAction *a : w->edits()->groupActions()) {
        if (a->objectName() == "addElifBranch")
            elif = a;
        else if (a->objectName() == "addElseBranch")
            otherwise = a;
    }
    QVERIFY(elif && otherwise);

    w->scene()->selectTask("edge");
    w->scene()->groupItem("is-heads")->setSelected(true);
    elif->trigger();
    const Graph &g = w->document()->graph();
    const Group *first = g.group("is-heads");
    QVERIFY(first);
    const Group *chain = g.group(first->parent);
    QVERIFY(chain && chain->kind == Group::Kind::Branches);
    const Group *second = g.group(w->document()->task("edge")->group);
    QVERIFY(second && second->parent == chain->id && second->order == 1 && second->condition);

    w->scene()->selectTask("tails");
    w->scene()->groupItem(QString::fromStdString(second->id))->setSelected(true);
    otherwise->trigger();
    const Group *last = w->document()->graph().group(w->document()->task("tails")->group);
    QVERIFY(last && !last->condition && last->order == 2);

    if (const QString dir = qEnvironmentVariable("PW_STUDIO_SCREENSHOTS"); !dir.isEmpty()) {
        w->views()->autoLayout(true);
        const QRectF area = w->scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20);
        QImage image((area.size() * 1.5).toSize(), QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        w->scene()->render(&painter, QRectF(), area);
        painter.end();
        QVERIFY(image.save(dir + "/studio-branches.png"));
        w->document()->undoStack()->undo();
    }

    // The chain is closed: another else is refused and nothing changes.
    const std::string closed = w->document()->text();
    w->scene()->selectTask("heads");
    w->scene()->groupItem(QString::fromStdString(last->id))->setSelected(true);
    otherwise->trigger();
    QCOMPARE(w->document()->text(), closed);

    const auto compiled = compileToText(w->document()->pipeline(), CompileTarget::PipelineSpec);
    QVERIFY2(compiled.ok(), compiled.ok() ? "" : compiled.error().toString().c_str());
    // KFP's if/elif/else: the else branch runs when no earlier branch held.
    QVERIFY(compiled->find("!(inputs.parameter_values[''pipelinechannel--side''] == ''heads'') && !(''true'' == "
                           "''true'')") != std::string::npos);
    w->document()->undoStack()->undo();
    w->document()->undoStack()->undo();
    QCOMPARE(w->document()->text(), original);
}

// Renaming a pipeline parameter in the inspector takes the tasks bound to
// it along (one undo step), instead of leaving them pointing at nothing.
void TstStudio::renamingAParameterKeepsItsBindings()
{
    auto w = newWindow();
    QVERIFY(w->files()->open(test::resourcesPath("examples/tfx-training.pipewright.yaml")));
    const std::string original = w->document()->text();
    w->scene()->clearSelection();
    auto *rows = w->inspector()->findChild<RowsTable *>("pipeline:parameters");
    QVERIFY(rows);
    QTableWidget *table = rows->table();
    int row = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0) && table->item(r, 0)->text() == "learning_rate")
            row = r;
    QVERIFY(row >= 0);
    table->item(row, 0)->setText("lr");
    QVERIFY(w->document()->pipeline().input("lr"));
    QVERIFY(!w->document()->pipeline().input("learning_rate"));
    QVERIFY(w->document()->task("trainer")->arguments.at("learning_rate") == Binding::parameter("lr"));
    for (const Problem &p : validatePipeline(w->document()->pipeline()))
        QVERIFY2(p.severity != Problem::Severity::Error, p.message.c_str());
    w->document()->undoStack()->undo();
    QCOMPARE(w->document()->text(), original);
}

void TstStudio::cleanupTestCase()
{
    if (m_recovered)
        m_recovered->files()->clearRecovery();
    m_recovered.reset();
}

PW_UI_TEST_MAIN(TstStudio)
#include "tst_studio.moc"
