// SPDX-License-Identifier: Apache-2.0
// The canvas at scale and under the mouse, in the real studio window under
// the offscreen platform: select all, delete and undo of 1,000 tasks counted
// in notifications (never timed), drops that land under the cursor and leave
// earlier nodes where they are, loops laid out in flow order, and the hint on
// an empty canvas.
#include "uitest.h"

#include "canvas/canvasview.h"
#include "canvas/edgeitem.h"
#include "canvas/groupframeitem.h"
#include "canvas/pipelinescene.h"
#include "canvas/subpipelinepreview.h"
#include "canvas/taskitem.h"
#include "document/pipelinedocument.h"
#include "formats/document.h"
#include "mainwindow/editcontroller.h"
#include "mainwindow/filecontroller.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/viewcontroller.h"
#include "palette/palettetree.h"
#include "palette/palettewidget.h"
#include "runview/taskdetails.h"
#include "testdata.h"

#include <QAction>
#include <QFile>
#include <QMimeData>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWebEngineView>

#include <memory>

using namespace pw;

class TstCanvasScale final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void selectAllIsOneSelectionChange();
    void deleteAllAndUndoNotifyViewsOnce();
    void dropsLandUnderTheCursorAndNothingElseMoves();
    void emptyCanvasShowsAHint();
    void loopsFollowTheirProducersWithoutOverlapping();
    void webEngineStartsOnlyForAVisualization();
    void expandedSubPipelineShowsItsFlowAndBranches();
    void anOpenedPipelineIsReadable();

private:
    std::unique_ptr<MainWindow> newWindow();
    void trigger(MainWindow *w, const QKeySequence &shortcut);
    QString drop(MainWindow *w, const QString &component, const QPoint &at);

    QTemporaryDir m_dir;
    QString m_large;
};

namespace {

// A pipeline ten tasks wide: each task reads the output of the task ten
// before it, so 1,000 tasks carry 990 edges.
Pipeline layeredPipeline(int tasks)
{
    Component step;
    step.name = "Step";
    step.inputs = {PortSpec{"data", PortType::artifact("system.Dataset"), "", std::nullopt, true}};
    step.outputs = {PortSpec{"out", PortType::artifact("system.Dataset"), "", std::nullopt, false}};
    step.container.image = "python:3.11-slim";
    step.container.command = {CommandArg::literal("true")};
    Pipeline p;
    p.name = "scale";
    p.components["step"] = step;
    for (int i = 0; i < tasks; ++i) {
        Task t;
        t.id = "t" + std::to_string(i);
        t.component = "step";
        if (i >= 10)
            t.arguments["data"] = Binding::taskOutput("t" + std::to_string(i - 10), "out");
        p.layout.tasks[t.id] = {double(i % 10) * 220, double(i / 10) * 120};
        p.root.tasks.push_back(std::move(t));
    }
    return p;
}

} // namespace

std::unique_ptr<MainWindow> TstCanvasScale::newWindow()
{
    auto w = pw::test::shownStudioWindow();
    QApplication::processEvents(); // the fit the new document asked for
    return w;
}

void TstCanvasScale::trigger(MainWindow *w, const QKeySequence &shortcut)
{
    for (QAction *a : w->edits()->actions())
        if (a->shortcuts().contains(shortcut)) {
            a->trigger();
            return;
        }
    QFAIL("no action has that shortcut");
}

QString TstCanvasScale::drop(MainWindow *w, const QString &component, const QPoint &at)
{
    QTreeWidgetItem *item = w->palette()->itemFor(component);
    if (!item)
        return {};
    PaletteTree *tree = w->palette()->tree();
    const QModelIndex parent = tree->model()->index(tree->indexOfTopLevelItem(item->parent()), 0);
    const QModelIndex child = tree->model()->index(item->parent()->indexOfChild(item), 0, parent);
    std::unique_ptr<QMimeData> mime(tree->model()->mimeData({child}));
    QWidget *viewport = w->canvas()->viewport();
    QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, {});
    QApplication::sendEvent(viewport, &enter);
    QDropEvent dropped(QPointF(at), Qt::CopyAction, mime.get(), Qt::LeftButton, {});
    QApplication::sendEvent(viewport, &dropped);
    QApplication::processEvents(); // the scene reports its growth to views later
    const QStringList selected = w->scene()->selectedTaskIds();
    return selected.size() == 1 ? selected.front() : QString();
}

void TstCanvasScale::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_large = m_dir.filePath("large.pipewright.yaml");
    QFile f(m_large);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray::fromStdString(writeDocument(layeredPipeline(1000))));
}

// Selecting every item used to tell the window once per item (2,000 times
// here), each time refreshing the inspector over the whole selection.
void TstCanvasScale::selectAllIsOneSelectionChange()
{
    auto w = newWindow();
    QVERIFY(w->files()->open(m_large));
    QSignalSpy changes(w->scene(), &QGraphicsScene::selectionChanged);
    trigger(w.get(), QKeySequence::SelectAll);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(w->scene()->selectedTaskIds().size(), 1000);
    QCOMPARE(w->scene()->selectedEdges().size(), 990);
}

// Undo of deleting 1,000 tasks used to re-add them one by one: 1,000
// taskAdded signals, each rebuilding the inspectors over every task (80 s).
// Now the views hear once, and the pipeline comes back byte for byte.
void TstCanvasScale::deleteAllAndUndoNotifyViewsOnce()
{
    auto w = newWindow();
    QVERIFY(w->files()->open(m_large));
    PipelineDocument *doc = w->document();
    const std::string before = doc->text();
    trigger(w.get(), QKeySequence::SelectAll);

    QSignalSpy changed(doc, &PipelineDocument::contentChanged);
    QSignalSpy removed(doc, &PipelineDocument::taskRemoved);
    trigger(w.get(), QKeySequence::Delete);
    QCOMPARE(w->scene()->taskCount(), 0);
    QVERIFY(doc->graph().tasks.empty());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(removed.count(), 0);

    changed.clear();
    QSignalSpy added(doc, &PipelineDocument::taskAdded);
    QSignalSpy reset(doc, &PipelineDocument::documentReset);
    trigger(w.get(), QKeySequence::Undo);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(added.count(), 0);
    QCOMPARE(doc->text(), before);
    QCOMPARE(w->scene()->taskCount(), 1000);
    int visible = 0;
    for (EdgeItem *e : w->scene()->edges())
        visible += e->isVisible() ? 1 : 0;
    QCOMPARE(visible, 990);

    changed.clear();
    trigger(w.get(), QKeySequence::Redo);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(w->scene()->taskCount(), 0);

    // A large edit is not a new pipeline: the view stays where it looked.
    trigger(w.get(), QKeySequence::Undo);
    QApplication::processEvents();
    CanvasView *view = w->canvas();
    view->setZoom(1.0);
    view->centerOn(w->scene()->taskItem("t505")->pos());
    QApplication::processEvents();
    const QPointF looked = view->visibleCenter();
    QStringList half;
    for (int i = 500; i < 1000; ++i)
        half << "t" + QString::number(i);
    for (const QString &id : half)
        w->scene()->taskItem(id)->setSelected(true);
    trigger(w.get(), QKeySequence::Delete);
    QApplication::processEvents();
    QCOMPARE(w->scene()->taskCount(), 500);
    QCOMPARE(view->zoom(), 1.0);
    QVERIFY((view->visibleCenter() - looked).manhattanLength() < 2);
}

// The first drop landed at the canvas centre and later drops or moves
// scrolled earlier nodes away: the view re-centred the growing scene.
void TstCanvasScale::dropsLandUnderTheCursorAndNothingElseMoves()
{
    auto w = newWindow();
    CanvasView *view = w->canvas();
    view->setZoom(1.0);
    auto onScreen = [&](const QString &id) {
        TaskItem *item = w->scene()->taskItem(id);
        return item ? view->mapFromScene(item->pos()) : QPoint(-1, -1);
    };
    auto near = [](const QPoint &a, const QPoint &b) { return (a - b).manhattanLength() <= 2; };
    auto where = [](const QPoint &p) { return qPrintable(QString("at %1,%2").arg(p.x()).arg(p.y())); };

    const QPoint first(150, 120);
    const QString echo = drop(w.get(), "Echo", first);
    QVERIFY(!echo.isEmpty());
    QVERIFY2(near(onScreen(echo), first), where(onScreen(echo)));

    const QPoint second(450, 400); // partly beyond the right edge
    const QString concat = drop(w.get(), "Concat text", second);
    QVERIFY(!concat.isEmpty());
    QVERIFY2(near(onScreen(concat), second), where(onScreen(concat)));
    QVERIFY2(near(onScreen(echo), first), where(onScreen(echo)));

    // Drag the second node by its title: the first stays put on screen.
    const QPoint grab = onScreen(concat) + QPoint(60, 12);
    test::drag(view->viewport(), grab, grab + QPoint(250, 150));
    QApplication::processEvents();
    QVERIFY2(near(onScreen(concat), second + QPoint(250, 150)), where(onScreen(concat)));
    QVERIFY2(near(onScreen(echo), first), where(onScreen(echo)));
}

// An empty canvas says how to start; the hint goes once a task is there.
void TstCanvasScale::emptyCanvasShowsAHint()
{
    auto w = newWindow();
    CanvasView *view = w->canvas();
    QVERIFY(!view->emptyHint().isEmpty());
    const QImage empty = view->viewport()->grab().toImage();
    QVERIFY(!drop(w.get(), "Echo", QPoint(20, 20)).isEmpty());
    QVERIFY(view->emptyHint().isEmpty());
    const QImage withTask = view->viewport()->grab().toImage();
    // The hint is drawn across the middle, away from the dropped node.
    const QRect middle(empty.width() / 2 - 200, empty.height() / 2 - 30, 400, 60);
    int differing = 0;
    for (int y = middle.top(); y <= middle.bottom(); ++y)
        for (int x = middle.left(); x <= middle.right(); ++x)
            differing += empty.pixel(x, y) != withTask.pixel(x, y) ? 1 : 0;
    QVERIFY(differing > 50);
    w->document()->undoStack()->undo();
    QVERIFY(!view->emptyHint().isEmpty());
}

// An imported PipelineSpec with three loops over the outputs of three
// producers: the loop frames overlapped, the producers were not laid out
// before the loops reading them, no edge showed that reading, and the
// result did not fit the window. Checked on open (no layout section) and
// after auto-layout.
void TstCanvasScale::loopsFollowTheirProducersWithoutOverlapping()
{
    auto w = newWindow();
    QVERIFY(
        w->files()->open(test::referencePath("kfp-v2-goldens/pipeline_with_parallelfor_parallelism.yaml")));
    QApplication::processEvents(); // the opening fit; the checks below use Fit Pipeline
    PipelineScene *scene = w->scene();
    const Graph &graph = w->document()->graph();
    auto check = [&](const char *when) {
        QList<const Group *> loops;
        for (const Group &g : graph.groups)
            if (g.kind == Group::Kind::Loop && g.parent.empty())
                loops << &g;
        QVERIFY2(loops.size() >= 3, when);
        for (int i = 0; i < loops.size(); ++i)
            for (int j = i + 1; j < loops.size(); ++j) {
                const QRectF a = scene->groupItem(QString::fromStdString(loops[i]->id))->frame();
                const QRectF b = scene->groupItem(QString::fromStdString(loops[j]->id))->frame();
                QVERIFY2(!a.intersects(b), qPrintable(QString("%1: %2 overlaps %3")
                                                          .arg(when, QString::fromStdString(loops[i]->id),
                                                               QString::fromStdString(loops[j]->id))));
            }
        int fromProducers = 0;
        for (const Group *g : loops) {
            if (g->loop.items.kind != Binding::Kind::TaskOutput)
                continue;
            ++fromProducers;
            TaskItem *producer = scene->taskItem(QString::fromStdString(g->loop.items.task));
            QVERIFY(producer);
            const QRectF frame = scene->groupItem(QString::fromStdString(g->id))->frame();
            QVERIFY2(producer->sceneBoundingRect().right() <= frame.left(),
                     qPrintable(QString("%1: %2 is not before %3")
                                    .arg(when, producer->taskId(), QString::fromStdString(g->id))));
        }
        QVERIFY2(fromProducers >= 3, when);
        QVERIFY2(scene->groupInputEdges().size() >= fromProducers, when);
        for (EdgeItem *e : scene->groupInputEdges())
            QVERIFY(e->isVisible() && !e->path().isEmpty());
        w->canvas()->fitAll();
        const QRectF seen = w->canvas()->mapToScene(w->canvas()->viewport()->rect()).boundingRect();
        QVERIFY2(seen.contains(scene->itemsBoundingRect().adjusted(4, 4, -4, -4)), when);
    };
    check("on open");
    QVERIFY(w->views()->autoLayout(true));
    check("after auto-layout");
}

// Chromium's start-up was most of the studio's first three seconds: no web
// view may exist until a visualization is shown.
void TstCanvasScale::webEngineStartsOnlyForAVisualization()
{
    auto w = newWindow();
    QVERIFY(w->findChildren<QWebEngineView *>().isEmpty());
    TaskDetails details;
    details.resize(600, 400);
    details.show();
    QVERIFY(details.findChildren<QWebEngineView *>().isEmpty());
    details.setCurrentTab(TaskDetails::VisualizationsTab);
    QCOMPARE(details.findChildren<QWebEngineView *>().size(), 1);
}

// The expanded sub-pipeline showed its four tasks as cut-off chips, only two
// of its edges, and nothing of its if/else gate: now every task reads in
// full, the tasks the gate runs have their edge from the task it tests,
// and the branches are framed with their conditions.
void TstCanvasScale::expandedSubPipelineShowsItsFlowAndBranches()
{
    auto w = newWindow();
    QVERIFY(w->files()->open(test::testDataPath("documents/subpipeline.pipewright.yaml")));
    TaskItem *node = w->scene()->taskItem("per-region");
    QVERIFY(node && node->isSubPipeline());
    node->setExpanded(true);
    const SubPipelinePreview *preview = node->preview();
    QVERIFY(preview);
    QCOMPARE(preview->taskLabels().size(), 4);
    QVERIFY(!preview->elidesLabels());
    // train -> deploy -> accept, and the gate's test of train: train -> reject, accept.
    QCOMPARE(preview->edgeCount(), 4);
    const QStringList frames = preview->frameLabels();
    QCOMPARE(frames.size(), 3);
    QVERIFY2(frames.filter(QRegularExpression("^if .*>=")).size() == 1, qPrintable(frames.join(" | ")));
    QVERIFY2(frames.filter(QRegularExpression("^else")).size() == 1, qPrintable(frames.join(" | ")));
}

// The TFX example, a long left-to-right chain, opened fitted at a size too
// small to read. Now it opens at a readable size showing its first task;
// Fit Pipeline still shows it all.
void TstCanvasScale::anOpenedPipelineIsReadable()
{
    auto w = newWindow();
    CanvasView *view = w->canvas();
    QVERIFY(w->files()->open(test::resourcesPath("examples/tfx-training.pipewright.yaml")));
    QApplication::processEvents(); // the fit the opened document asked for
    QVERIFY2(view->zoom() >= 0.8, qPrintable(QString::number(view->zoom())));
    const QRectF seen = view->mapToScene(view->viewport()->rect()).boundingRect();
    QVERIFY(seen.contains(w->scene()->taskItem("example-gen")->sceneBoundingRect()));
    view->fitAll();
    const QRectF all = view->mapToScene(view->viewport()->rect()).boundingRect();
    QVERIFY(all.contains(w->scene()->itemsBoundingRect()));
}

PW_UI_TEST_MAIN(TstCanvasScale)
#include "tst_canvasscale.moc"
