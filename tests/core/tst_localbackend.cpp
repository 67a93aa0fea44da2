// SPDX-License-Identifier: Apache-2.0
// The Backend a GUI uses: submit returns at once, progress arrives as
// signals on the receiver's thread, details come from getRun.
#include "enginefixture.h"
#include "runs/localbackend.h"
#include "testdata.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace pw;
using namespace pw::test;

class TestLocalBackend final : public QObject {
    Q_OBJECT

private slots:
    void submitAndWatch()
    {
        EngineFixture fx;
        LocalBackend backend(fx.dataDir().toStdString() + "/pipewright");
        QSignalSpy finished(&backend, &Backend::runFinished);
        QSignalSpy tasks(&backend, &Backend::taskChanged);
        QSignalSpy lines(&backend, &Backend::logLine);
        auto spec = fx.compile(testDataPath("engine/chain.pipewright.yaml"), {{"trace", fx.path("trace").toStdString()}});
        QVERIFY(spec.ok());
        RunRequest request;
        request.spec = *spec;
        request.options = {{"workDir", fx.path("").toStdString()}};
        auto id = backend.submit(request);
        QVERIFY2(id.ok(), id.ok() ? "" : id.error().message.c_str());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toString().toStdString(), *id);
        QCOMPARE(finished.first().at(1).toString(), QString("succeeded"));
        QVERIFY(tasks.size() >= 6); // a, b, c: running then succeeded
        QVERIFY(lines.size() >= 3);
        auto run = backend.getRun(*id);
        QVERIFY(run.ok());
        QCOMPARE(run->tasks.size(), std::size_t(3));
        auto log = backend.logs(*id, "c");
        QVERIFY(log.ok() && log->find("step c") != std::string::npos);
        auto runs = backend.listRuns();
        QVERIFY(runs.ok() && runs->size() == 1);
        QVERIFY(!backend.createSchedule({}).ok());
    }

    void cancelWhileRunning()
    {
        EngineFixture fx;
        LocalBackend backend(fx.dataDir().toStdString() + "/pipewright");
        QSignalSpy finished(&backend, &Backend::runFinished);
        auto spec = fx.compile(testDataPath("engine/chain.pipewright.yaml"),
                               {{"trace", fx.path("trace").toStdString()}, {"block", fx.path("block").toStdString()}});
        QVERIFY(spec.ok());
        RunRequest request;
        request.spec = *spec;
        auto id = backend.submit(request);
        QVERIFY(id.ok());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(fx.path("block")), 20000);
        QVERIFY(backend.cancel(*id).ok());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(1).toString(), QString("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestLocalBackend)
#include "tst_localbackend.moc"
