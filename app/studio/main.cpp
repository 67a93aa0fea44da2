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
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QTimer>

#include <cstdio>

namespace {

// The same look on every machine (documentation screenshots): Fusion, in
// its own light palette or a dark one.
void usePalette(bool dark)
{
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QPalette p = QApplication::style()->standardPalette();
    if (dark) {
        const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, window);
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, window);
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::ToolTipBase, base);
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x8f, 0x94));
        p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, QColor(0x58, 0x9d, 0xf6));
        p.setColor(QPalette::Mid, QColor(0x5a, 0x5d, 0x63));
        p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1c));
        p.setColor(QPalette::Light, QColor(0x3c, 0x3f, 0x44));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6f, 0x73, 0x7a));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6f, 0x73, 0x7a));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6f, 0x73, 0x7a));
    }
    QApplication::setPalette(p);
}

} // namespace

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
    const QCommandLineOption colors("palette", "Fusion style with a light or dark palette (light, dark).",
                                    "SCHEME");
    parser.addOptions({screenshot, layout, select, preview, size, colors});
    parser.process(app);
    if (parser.isSet(colors))
        usePalette(parser.value(colors) == "dark");

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
