// SPDX-License-Identifier: Apache-2.0
// Opens a generated 1,000-task pipeline (no layout section, so the studio
// lays it out with Graphviz on open) in the real main window, renders the
// first frame, runs auto-layout as a user would, then times pan and zoom
// steps with a synchronous repaint each. Run offscreen or under Xvfb:
//   QT_QPA_PLATFORM=offscreen bench_studio [tasks] [--steps N]
#include "benchpipeline.h"
#include "canvas/canvasview.h"
#include "canvas/pipelinescene.h"
#include "formats/document.h"
#include "mainwindow/filecontroller.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/viewcontroller.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QTemporaryDir>

#include <cstdio>

namespace {

double ms(QElapsedTimer &t)
{
    const double v = double(t.nsecsElapsed()) / 1e6;
    t.restart();
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
    QApplication app(argc, argv);
    int tasks = 1000, steps = 300;
    for (int i = 1; i < argc; ++i) {
        const QString a = QString::fromLocal8Bit(argv[i]);
        if (a == "--steps" && i + 1 < argc)
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
    const double startup = ms(step);
    if (!window.files()->open(path)) {
        std::fprintf(stderr, "open failed: %s\n", qPrintable(window.files()->lastError()));
        return 1;
    }
    const double open = ms(step);
    window.canvas()->fitAll();
    const QImage first = window.canvas()->viewport()->grab().toImage();
    const double frame = ms(step);
    const double openToFrame = double(total.nsecsElapsed()) / 1e6 - startup;
    window.validateNow();
    const double validate = ms(step);
    window.views()->autoLayout(true);
    window.canvas()->viewport()->repaint();
    const double relayout = ms(step);

    std::printf("| tasks | open + layout (dot) | first frame | open to first frame | validate | auto-layout + repaint |"
                " pan/zoom step, fit | pan/zoom step, 100%% |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    const double fitStep = panZoom(window.canvas(), steps);
    window.canvas()->setZoom(1.0);
    window.canvas()->centerOn(window.scene()->itemsBoundingRect().center());
    const double fullStep = panZoom(window.canvas(), steps);
    std::printf("| %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.1f ms | %.1f ms |\n", tasks, open, frame,
                openToFrame, validate, relayout, fitStep, fullStep);
    std::fprintf(stderr, "window startup %.0f ms; first frame %dx%d; %d scene tasks; %d steps each\n", startup,
                 first.width(), first.height(), window.scene()->taskCount(), steps);
    window.document()->undoStack()->setClean(); // nothing to save on exit
    return window.scene()->taskCount() == tasks ? 0 : 1;
}
