// SPDX-License-Identifier: Apache-2.0
// pipewright-studio [FILE]: the desktop studio. The options after FILE exist
// for documentation screenshots and benchmarks: they set the window up, grab
// it once it has painted, and exit.
#include "canvas/canvasview.h"
#include "canvas/pipelinescene.h"
#include "inspector/inspectorpanel.h"
#include "mainwindow/filecontroller.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/viewcontroller.h"
#include "preview/compilepreview.h"
#include "runview/webenginesetup.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>

int main(int argc, char **argv)
{
    pw::prepareWebEngine();
    QApplication app(argc, argv);
    QApplication::setOrganizationName("Pipewright");
    QApplication::setApplicationName("Pipewright Studio");
    QApplication::setApplicationVersion(PW_VERSION);
    // The desktop file's id, so Wayland shells match the window to it.
    QApplication::setDesktopFileName("io.pipewright.Studio");
    QApplication::setWindowIcon(QIcon(":/icons/io.pipewright.Studio.svg"));

    QCommandLineParser parser;
    parser.setApplicationDescription("Author Kubeflow-family pipelines visually.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("FILE", "A *.pipewright.yaml document, KFP component or PipelineSpec to open.");
    const QCommandLineOption screenshot("screenshot", "Grab the window to FILE once painted, then exit.", "FILE");
    const QCommandLineOption layout("auto-layout", "Lay the pipeline out (lr or tb) after opening.", "DIR");
    const QCommandLineOption select("select", "Select task ID after opening.", "ID");
    const QCommandLineOption preview("preview", "Show the compile preview for TARGET (pipelinespec, argo, vertex).",
                                     "TARGET");
    const QCommandLineOption size("size", "Window size WIDTHxHEIGHT.", "SIZE");
    parser.addOptions({screenshot, layout, select, preview, size});
    parser.process(app);

    pw::MainWindow window;
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split('x');
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    window.show();
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty() && !window.files()->open(files.front())) {
        std::fprintf(stderr, "%s\n", qPrintable(window.files()->lastError()));
        if (parser.isSet(screenshot))
            return 1;
        QMessageBox::warning(&window, "Open", window.files()->lastError());
    }
    if (parser.isSet(layout))
        window.views()->autoLayout(parser.value(layout) != "tb");
    if (parser.isSet(select))
        window.scene()->selectTask(parser.value(select));
    if (parser.isSet(preview)) {
        const QString t = parser.value(preview);
        window.preview()->setTarget(t == "argo"     ? pw::CompileTarget::Argo
                                    : t == "vertex" ? pw::CompileTarget::Vertex
                                                    : pw::CompileTarget::PipelineSpec);
        if (auto *dock = window.findChild<QDockWidget *>("previewDock"))
            dock->raise();
    }
    if (parser.isSet(screenshot)) {
        const QString out = parser.value(screenshot);
        QTimer::singleShot(1200, &window, [&window, out] {
            // Docks settle their sizes after the first layout pass: fit again.
            window.canvas()->fitAll();
            QApplication::processEvents();
            const bool ok = window.grab().save(out);
            std::printf("%s %s\n", ok ? "wrote" : "could not write", qPrintable(out));
            QApplication::exit(ok ? 0 : 1);
        });
    } else {
        QTimer::singleShot(0, &window, &pw::MainWindow::offerRecovery);
    }
    return app.exec();
}
