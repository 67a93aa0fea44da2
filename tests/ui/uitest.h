// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the GUI tests: an isolated home for settings, recent
// files and recovery copies, and mouse gestures on widgets.
#pragma once

#include "mainwindow/filecontroller.h"
#include "mainwindow/mainwindow.h"
#include "runview/webenginesetup.h"

#include <QApplication>
#include <QMouseEvent>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// QTRY_* return as soon as what they wait for has happened; their limit only
// guards against a hang. Qt's default of 5 s is not enough on a loaded 2-core
// CI machine running the suite in parallel, so the GUI tests allow a minute.
#undef QTRY_VERIFY
#undef QTRY_VERIFY2
#undef QTRY_COMPARE
#define QTRY_VERIFY(expr) QTRY_VERIFY_WITH_TIMEOUT(expr, 60000)
#define QTRY_VERIFY2(expr, message) QTRY_VERIFY2_WITH_TIMEOUT(expr, message, 60000)
#define QTRY_COMPARE(expr, expected) QTRY_COMPARE_WITH_TIMEOUT(expr, expected, 60000)

namespace pw::test {

// Call before QApplication exists: QSettings and QStandardPaths then write
// under a temporary directory, never into the user's real configuration.
inline QTemporaryDir &isolatedHome()
{
    static QTemporaryDir home;
    // Test mode puts QStandardPaths under ~/.qttest: a fresh home each time.
    qputenv("HOME", home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (home.path() + "/config").toUtf8());
    qputenv("XDG_DATA_HOME", (home.path() + "/data").toUtf8());
    qputenv("XDG_CACHE_HOME", (home.path() + "/cache").toUtf8());
    qputenv("PIPEWRIGHT_RECOVERY_DIR", (home.path() + "/recovery").toUtf8());
    qputenv("PIPEWRIGHT_AUTOSAVE_MS", "3600000"); // tests call autosaveNow() themselves
    QStandardPaths::setTestModeEnabled(true);
    return home;
}

// Sends one mouse event with an explicit button state, so a move carries
// the pressed button the way a real drag does.
inline void mouse(QWidget *w, QEvent::Type type, const QPoint &pos, Qt::MouseButton button,
                  Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = {})
{
    QMouseEvent e(type, QPointF(pos), QPointF(w->mapToGlobal(pos)), button, buttons, mods);
    QApplication::sendEvent(w, &e);
}

// Press at `from`, move in steps to `to`, release there.
inline void drag(QWidget *w, const QPoint &from, const QPoint &to)
{
    mouse(w, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    for (int i = 1; i <= 5; ++i)
        mouse(w, QEvent::MouseMove, from + (to - from) * i / 5, Qt::NoButton, Qt::LeftButton);
    mouse(w, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
}

// A studio window at a fixed size, shown and exposed, that discards unsaved
// changes instead of asking.
inline std::unique_ptr<pw::MainWindow> shownStudioWindow()
{
    auto w = std::make_unique<pw::MainWindow>();
    w->files()->setPrompt([] { return pw::FileController::Answer::Discard; });
    w->resize(1400, 900);
    w->show();
    [[maybe_unused]] bool exposed = QTest::qWaitForWindowExposed(w.get());
    return w;
}

} // namespace pw::test

#define PW_UI_TEST_MAIN(TestClass)                                                                                     \
    int main(int argc, char **argv)                                                                                    \
    {                                                                                                                  \
        pw::test::isolatedHome();                                                                                      \
        pw::prepareWebEngine();                                                                                        \
        QApplication app(argc, argv);                                                                                  \
        QApplication::setOrganizationName("PipewrightTest");                                                           \
        QApplication::setApplicationName("Pipewright Studio Test");                                                    \
        TestClass test;                                                                                                \
        return QTest::qExec(&test, argc, argv);                                                                        \
    }
