// SPDX-License-Identifier: Apache-2.0
// Opens a generated pipeline (1,000 tasks unless told; no layout section, so
// the studio places every node on open) in the real main window, renders the
// first frame, runs auto-layout as a user would, selects all, deletes, undoes
// and redoes through the Edit menu's actions, then times pan and zoom steps
// with a synchronous repaint each. Every figure goes to stderr as soon as it
// is measured, so a run stopped by `timeout` still shows how far it got.
// Run offscreen or under Xvfb:
//   QT_QPA_PLATFORM=offscreen bench_studio [tasks] [--steps N] [--no-edits]
#include "benchpipeline.h"
#include "canvas/canvasview.h"
#include "canvas/pipelinescene.h"
#include "formats/document.h"
#include "mainwindow/editcontroller.h"
#include "mainwindow/filecontroller.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/viewcontroller.h"
#include "runview/webenginesetup.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QTemporaryDir>

#include <cstdio>

namespace {

double ms(QElapsedTimer &t, const char *what)
{
    const double v = double(t.nsecsElapsed()) / 1e6;
    std::fprintf(stderr, "%s: %.0f ms\n", what, v);
    t.restart();
    return v;
}

// Triggers the Edit menu action with `shortcut`, as the keyboard would, then
// delivers what the action posted and repaints the canvas. Debounced work
// (validation, the compile preview) runs afterwards, untimed, in settle().
void trigger(pw::MainWindow &window, const QKeySequence &shortcut)
{
    for (QAction *a : window.edits()->actions())
        if (a->shortcuts().contains(shortcut)) {
            a->trigger();
            break;
        }
    QCoreApplication::sendPostedEvents();
    window.canvas()->viewport()->repaint();
}

// Times one action, then lets the debounced work run untimed.
double timedAction(pw::MainWindow &window, const QKeySequence &shortcut, QElapsedTimer &t, const char *what)
{
    trigger(window, shortcut);
    const double v = ms(t, what);
    QApplication::processEvents();
    ms(t, "  then pending events (validation, compile preview)");
    return v;
}

// Pans right/left and zooms in/out, repainting after each step, like a user
// dragging the canvas or turning the wheel. Returns the mean ms per step.
double panZoom(pw::CanvasView *view, int steps)
{
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < steps; ++i) {
        if (i % 4 < 2) {
            QScrollBar *h = view->horizontalScrollBar();
            h->setValue(h->value() + ((i / 4) % 2 ? -40 : 40));
        } else {
            view->zoomBy(i % 4 == 2 ? 1.1 : 1 / 1.1);
        }
        view->viewport()->repaint();
    }
    return double(t.nsecsElapsed()) / 1e6 / steps;
}

} // namespace

int main(int argc, char **argv)
{
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", (home.path() + "/config").toUtf8());
    qputenv("XDG_DATA_HOME", (home.path() + "/data").toUtf8());
    qputenv("PIPEWRIGHT_RECOVERY_DIR", (home.path() + "/recovery").toUtf8());
    pw::prepareWebEngine();
    QApplication app(argc, argv);
    int tasks = 1000, steps = 300;
    bool edits = true;
    for (int i = 1; i < argc; ++i) {
        const QString a = QString::fromLocal8Bit(argv[i]);
        if (a == "--no-edits")
            edits = false;
        else if (a == "--steps" && i + 1 < argc)
            steps = QString::fromLocal8Bit(argv[++i]).toInt();
        else if (a.toInt() > 0)
            tasks = a.toInt();
    }
    const QString path = home.filePath("bench.pipewright.yaml");
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        f.write(QByteArray::fromStdString(pw::writeDocument(pw::bench::generateBenchPipeline(tasks, false))));
    }

    QElapsedTimer total, step;
    total.start();
    step.start();
    pw::MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QApplication::processEvents();
    const double startup = ms(step, "window startup");
    if (!window.files()->open(path)) {
        std::fprintf(stderr, "open failed: %s\n", qPrintable(window.files()->lastError()));
        return 1;
    }
    const double open = ms(step, "open");
    window.canvas()->fitAll();
    const QImage first = window.canvas()->viewport()->grab().toImage();
    const double frame = ms(step, "first frame");
    const double openToFrame = double(total.nsecsElapsed()) / 1e6 - startup;
    std::fprintf(stderr, "open to first frame: %.0f ms\n", openToFrame);
    window.validateNow();
    const double validate = ms(step, "validate");
    window.views()->autoLayout(true);
    window.canvas()->viewport()->repaint();
    const double relayout = ms(step, "auto-layout");

    double selectAll = 0, deleteAll = 0, undo = 0, redo = 0;
    if (edits) {
        selectAll = timedAction(window, QKeySequence::SelectAll, step, "select all");
        deleteAll = timedAction(window, QKeySequence::Delete, step, "delete all");
        if (window.scene()->taskCount() != 0)
            std::fprintf(stderr, "delete left %d tasks\n", window.scene()->taskCount());
        undo = timedAction(window, QKeySequence::Undo, step, "undo");
        redo = timedAction(window, QKeySequence::Redo, step, "redo");
        timedAction(window, QKeySequence::Undo, step, "undo again"); // the pipeline back for panning
        window.canvas()->fitAll();
    }

    const double fitStep = panZoom(window.canvas(), steps);
    window.canvas()->setZoom(1.0);
    window.canvas()->centerOn(window.scene()->itemsBoundingRect().center());
    const double fullStep = panZoom(window.canvas(), steps);
    std::printf(
        "| tasks | open | first frame | open to first frame | validate | auto-layout + repaint | select all |"
        " delete all | undo | redo | pan/zoom step, fit | pan/zoom step, 100%% |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    std::printf("| %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f "
                "ms | %.1f ms |"
                " %.1f ms |\n",
                tasks, open, frame, openToFrame, validate, relayout, selectAll, deleteAll, undo, redo,
                fitStep, fullStep);
    std::fprintf(stderr, "window startup %.0f ms; first frame %dx%d; %d scene tasks; %d steps each\n", startup,
                 first.width(), first.height(), window.scene()->taskCount(), steps);
    window.document()->undoStack()->setClean(); // nothing to save on exit
    return window.scene()->taskCount() == tasks ? 0 : 1;
}
