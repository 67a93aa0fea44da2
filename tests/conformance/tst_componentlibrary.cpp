// SPDX-License-Identifier: Apache-2.0
// What kept KFP 1.8 component library files from compiling (issue 13), through
// the `pipewright` binary on real files: fileOutputs, graph components whose
// tasks name their components by URL and digest (fetched from a real HTTP
// server on loopback, kept in the component cache, used offline from it),
// optional inputs without a default; and how the CLI prints thousands of
// problems of one kind. Each file compiles to PipelineSpec and to an Argo
// Workflow that Argo's JSON schema accepts, and runs on the local engine.
#include "cliprocess.h"
#include "loopbackserver.h"
#include "testdata.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Run = pw::test::CliOutcome;

QString validatorScript()
{
    return QFileInfo(QStringLiteral(__FILE__)).absolutePath() + QStringLiteral("/validate_argo.py");
}

QString dataPath(const QString &name)
{
    return pw::test::testDataPath("components18/" + name);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A data file with its @NAME@ markers replaced, written into `dir`.
QString instantiate(const QTemporaryDir &dir, const QString &name, const QMap<QString, QString> &values)
{
    QString text = QString::fromUtf8(readAll(dataPath(name)));
    for (auto it = values.begin(); it != values.end(); ++it)
        text.replace("@" + it.key() + "@", it.value());
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(text.toUtf8());
    return path;
}

// The value a task of the last local run wrote for output `name`.
QString localOutput(const QString &dataHome, const QString &name)
{
    QDirIterator it(dataHome + "/pipewright/runs", QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (QFileInfo(path).isFile() && QFileInfo(path).fileName() == name &&
            (path.contains("/outputs/") || path.contains("/artifacts/")))
            return QString::fromUtf8(readAll(path)).trimmed();
    }
    return {};
}

// A generated pipeline document NAME.pipewright.yaml: `components` holds one
// component, `taskLine` (with %1 for the number) is repeated `count` times.
QString writeWide(const QTemporaryDir &dir, const QString &name, const char *components, const char *taskLine,
                  int count)
{
    const QString path = dir.filePath(name + ".pipewright.yaml");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write("pipewright: 1\nname: " + name.toUtf8() + "\ncomponents:\n" + components + "tasks:\n");
    for (int i = 0; i < count; ++i)
        f.write(QString::fromUtf8(taskLine).arg(i).toUtf8());
    return path;
}

} // namespace

class TestComponentLibrary final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void fileOutputs();
    void optionalInputWithoutDefault();
    void remoteGraphComponent();
    void remotePinMismatch();
    void remoteNotReachable();
    void remoteOverHttps();
    void remoteUnpinned();
    void groupedWarnings();
    void groupedRunErrors();
    void cleanupTestCase();

private:
    QProcessEnvironment environment(bool offline = false) const;
    Run pipewright(const QStringList &args, bool offline = false) const;
    // Compiles `file` to PipelineSpec and Argo (the Argo file is checked against Argo's schema at the end).
    void compileToBoth(const QString &file, const QStringList &extra = {}, bool offline = false);

    QTemporaryDir m_home; // component cache, run store
    QStringList m_argoFiles;
};

void TestComponentLibrary::initTestCase()
{
    QVERIFY(m_home.isValid());
}

QProcessEnvironment TestComponentLibrary::environment(bool offline) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PIPEWRIGHT_COMPONENT_CACHE", m_home.filePath("cache"));
    env.insert("XDG_DATA_HOME", m_home.filePath("data"));
    env.insert("PIPEWRIGHT_CONFIG_DIR", m_home.filePath("config"));
    if (offline)
        env.insert("PIPEWRIGHT_OFFLINE", "1");
    else
        env.remove("PIPEWRIGHT_OFFLINE");
    return env;
}

Run TestComponentLibrary::pipewright(const QStringList &args, bool offline) const
{
    return pw::test::runPipewright(args, m_home.path(), environment(offline), 120000);
}

void TestComponentLibrary::compileToBoth(const QString &file, const QStringList &extra, bool offline)
{
    const QString base = m_home.filePath(QFileInfo(file).completeBaseName());
    for (const QString target : {"pipelinespec", "argo"}) {
        const QString out = base + "." + target + ".yaml";
        const Run r =
            pipewright(QStringList{"compile", file, "--target", target, "-o", out} + extra, offline);
        QVERIFY2(r.code == 0, qPrintable(file + " -> " + target + ": " + r.err));
        QVERIFY(QFileInfo(out).size() > 0);
        if (target == "argo")
            m_argoFiles << out;
    }
}

// implementation.container.fileOutputs: the program writes each output at a
// fixed path; the output reaches the next task as if written to its own path.
void TestComponentLibrary::fileOutputs()
{
    QTemporaryDir dir;
    const QString fixed = dir.filePath("fixed");
    const QString file = instantiate(dir, "file_outputs.component.yaml", {{"FIXED", fixed}});
    compileToBoth(file);
    const QString argo = QString::fromUtf8(readAll(m_home.filePath("file_outputs.component.argo.yaml")));
    QVERIFY2(argo.contains("cp -R '" + fixed + "/steps.txt'"), qPrintable(argo));
    QVERIFY2(argo.contains("/tmp/outputs/steps_done/data"), qPrintable(argo));

    const Run r = pipewright({"run", file, "--param", "steps=7"});
    QVERIFY2(r.code == 0, qPrintable(r.all()));
    QCOMPARE(localOutput(m_home.filePath("data"), "steps_done"), QString("7"));
    QCOMPARE(localOutput(m_home.filePath("data"), "training_output_dir"),
             QString("model trained for 7 steps at rate 0.1"));
}

// An optional input without a default that the task does not set: KFP 1.8
// left its argument out, and so does the compiled pipeline on each target.
void TestComponentLibrary::optionalInputWithoutDefault()
{
    const QString file = dataPath("optional_no_default.component.yaml");
    compileToBoth(file, {"--param", "name=Ann"});
    const Run r = pipewright({"run", file, "--param", "name=Ann"});
    QVERIFY2(r.code == 0, qPrintable(r.all()));
    QCOMPARE(localOutput(m_home.filePath("data"), "message"), QString("Ann suffix="));
}

// componentRef {digest, url}: fetched once, then read from the cache by its
// digest, online or offline.
void TestComponentLibrary::remoteGraphComponent()
{
    pw::test::LoopbackServer server("components/component_server.py", {dataPath("")});
    QVERIFY2(server.ok(), qPrintable(server.error()));
    QTemporaryDir dir;
    const QString file = instantiate(dir, "remote_graph.component.yaml", {{"SERVER", server.url()}});

    compileToBoth(file);
    QCOMPARE(server.requests().size(), std::size_t(2)); // each component once, then from the cache
    for (const char *served : {"split_text", "report_count"}) {
        const QByteArray bytes = readAll(dataPath(QString("served/%1.component.yaml").arg(served)));
        const QString digest = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
        QCOMPARE(readAll(m_home.filePath("cache/" + digest + ".yaml")), bytes);
    }

    compileToBoth(file, {}, true); // offline: from the cache
    Run r = pipewright({"run", file, "--param", "text=x y z w"}, true);
    QVERIFY2(r.code == 0, qPrintable(r.all()));
    QCOMPARE(localOutput(m_home.filePath("data"), "summary"), QString("4 lines, first: x"));
    QCOMPARE(server.requests().size(), std::size_t(2));

    // Offline without the cache: the error names the URL where the file refers to it.
    QDir(m_home.filePath("cache")).removeRecursively();
    r = pipewright({"compile", file, "--target", "argo"}, true);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.startsWith(file + ":17:16: error: " + server.url() + "/served/split_text.component.yaml"),
             qPrintable(r.err));
    QVERIFY2(r.err.contains("PIPEWRIGHT_OFFLINE"), qPrintable(r.err));
}

// A digest that is not the served file's: an error naming both digests.
void TestComponentLibrary::remotePinMismatch()
{
    pw::test::LoopbackServer server("components/component_server.py", {dataPath("")});
    QVERIFY2(server.ok(), qPrintable(server.error()));
    QTemporaryDir dir;
    const QString file = instantiate(dir, "remote_graph_bad_pin.component.yaml", {{"SERVER", server.url()}});
    const QString actual = QCryptographicHash::hash(readAll(dataPath("served/split_text.component.yaml")),
                                                    QCryptographicHash::Sha256)
                               .toHex();
    for (const QString target : {"pipelinespec", "argo"}) {
        const Run r = pipewright({"compile", file, "--target", target});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith(file + ":12:16: error: "), qPrintable(r.err));
        QVERIFY2(r.err.contains(QString(64, '0')) && r.err.contains(actual), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    }
    QVERIFY(!QFileInfo::exists(m_home.filePath("cache/" + actual + ".yaml"))); // refused files are not kept

    // A served component with a mistake: located in the served file, naming the reference.
    const QString broken = instantiate(dir, "remote_graph_broken.component.yaml", {{"SERVER", server.url()}});
    const Run r = pipewright({"compile", broken});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.startsWith(server.url() + "/served/broken.component.yaml:7:34: error: "),
             qPrintable(r.err));
    QVERIFY2(r.err.contains("undeclared input 'txet'"), qPrintable(r.err));
    QVERIFY2(r.err.contains("(in the component that " + broken + ":10:16 refers to)"), qPrintable(r.err));
}

// A server that is gone, and plain http to a host other than loopback.
void TestComponentLibrary::remoteNotReachable()
{
    QString url;
    {
        pw::test::LoopbackServer gone("components/component_server.py", {dataPath("")});
        QVERIFY2(gone.ok(), qPrintable(gone.error()));
        url = gone.url();
    }
    QTemporaryDir dir;
    QString file = instantiate(dir, "remote_graph_bad_pin.component.yaml", {{"SERVER", url}});
    Run r = pipewright({"compile", file});
    QCOMPARE(r.code, 1);
    QVERIFY2(
        r.err.startsWith(file + ":12:16: error: cannot fetch " + url + "/served/split_text.component.yaml"),
        qPrintable(r.err));

    file = instantiate(dir, "remote_graph_bad_pin.component.yaml", {{"SERVER", "http://example.com"}});
    r = pipewright({"compile", file});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("plain http is refused"), qPrintable(r.err));
}

// Without a digest the URL is fetched each time; its last copy stands in
// when the server is gone.
void TestComponentLibrary::remoteUnpinned()
{
    QTemporaryDir dir;
    QString file;
    {
        pw::test::LoopbackServer server("components/component_server.py", {dataPath("")});
        QVERIFY2(server.ok(), qPrintable(server.error()));
        file = instantiate(dir, "remote_graph_unpinned.component.yaml", {{"SERVER", server.url()}});
        compileToBoth(file);
        QCOMPARE(server.requests().size(), std::size_t(2)); // no pin: each load asks again
    }
    compileToBoth(file); // the server is gone: the copy kept by URL
    compileToBoth(file, {}, true);
    QDir(m_home.filePath("cache/url")).removeRecursively();
    const Run r = pipewright({"compile", file});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("cannot fetch") && r.err.contains("not in the component cache"),
             qPrintable(r.err));
}

// HTTPS for real: a certificate made for this run, trusted through
// PIPEWRIGHT_CA_FILE; without it the fetch fails on verification.
void TestComponentLibrary::remoteOverHttps()
{
    QTemporaryDir dir;
    const QString cert = dir.filePath("cert.pem");
    const QString key = dir.filePath("key.pem");
    QProcess openssl;
    openssl.start("openssl",
                  {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                   "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert});
    QVERIFY2(openssl.waitForFinished(60000) && openssl.exitCode() == 0,
             openssl.readAllStandardError().constData());
    pw::test::LoopbackServer server("components/component_server.py", {dataPath(""), "--tls", cert, key});
    QVERIFY2(server.ok(), qPrintable(server.error()));
    const QString url = QString("https://127.0.0.1:%1").arg(server.port());
    const QString file = instantiate(dir, "remote_graph.component.yaml", {{"SERVER", url}});
    const QString cache = dir.filePath("cache");

    QProcessEnvironment env = environment();
    env.insert("PIPEWRIGHT_COMPONENT_CACHE", cache);
    Run r = pw::test::runPipewright({"compile", file, "--target", "argo"}, dir.path(), env);
    QCOMPARE(r.code, 1);
    QVERIFY2(
        r.err.startsWith(file + ":17:16: error: cannot fetch " + url + "/served/split_text.component.yaml"),
        qPrintable(r.err));

    env.insert("PIPEWRIGHT_CA_FILE", cert);
    r = pw::test::runPipewright({"compile", file, "--target", "argo"}, dir.path(), env);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QDir(cache).entryList({"*.yaml"}, QDir::Files).size(), 2);
}

// 10,000 tasks, each with an output nobody reads: five warnings and a count,
// unless `validate --all` asks for every one.
void TestComponentLibrary::groupedWarnings()
{
    constexpr int kTasks = 10000;
    QTemporaryDir dir;
    const QString file =
        writeWide(dir, "wide",
                  "  produce:\n    inputs:\n      n: {type: Integer}\n"
                  "    outputs:\n      out: {type: String}\n    container:\n      image: alpine:3.19\n"
                  "      command: [sh, -c, 'echo $0 > $1', {inputValue: n}, {outputPath: out}]\n",
                  "  t%1: {component: produce, arguments: {n: %1}}\n", kTasks);

    const QRegularExpression warning("^" + QRegularExpression::escape(file) +
                                         ":\\d+:\\d+: warning: Output 'out' of task 't\\d+' is never used",
                                     QRegularExpression::MultilineOption);
    const QString more =
        "  ... and 9,995 more like this; `pipewright validate --all " + file + "` lists them\n";
    for (const QStringList &args :
         {QStringList{"validate", file},
          QStringList{"compile", file, "--target", "argo", "-o", dir.filePath("w.argo")},
          QStringList{"compile", file, "-o", dir.filePath("w.spec")}}) {
        const Run r = pipewright(args);
        QVERIFY2(r.code == 0, qPrintable(r.err.left(2000)));
        QCOMPARE(r.err.count(warning), 5);
        QVERIFY2(r.err.endsWith(more), qPrintable(r.err));
        QCOMPARE(r.err.count('\n'), 6);
    }
    const Run all = pipewright({"validate", "--all", file});
    QCOMPARE(all.code, 0);
    QCOMPARE(all.err.count(warning), kTasks);
    QVERIFY(!all.err.contains("more like this"));
}

// `run` prints the errors that stop it the same way.
void TestComponentLibrary::groupedRunErrors()
{
    constexpr int kTasks = 2000;
    QTemporaryDir dir;
    const QString file = writeWide(dir, "unset",
                                   "  step:\n    inputs:\n      text: {type: String}\n    container:\n"
                                   "      image: alpine:3.19\n      command: [echo, {inputValue: text}]\n",
                                   "  t%1: {component: step}\n", kTasks);
    const Run r = pipewright({"run", file});
    QCOMPARE(r.code, 1);
    const QRegularExpression error("^" + QRegularExpression::escape(file) + ":\\d+:\\d+: error: ",
                                   QRegularExpression::MultilineOption);
    QCOMPARE(r.err.count(error), 5);
    QVERIFY2(r.err.contains("  ... and 1,995 more like this; `pipewright validate --all " + file + "`"),
             qPrintable(r.err));
}

void TestComponentLibrary::cleanupTestCase()
{
    if (m_argoFiles.isEmpty())
        return; // only some test functions ran
    QProcess py;
    py.start(QStringLiteral(PW_PYTHON),
             QStringList{validatorScript(), pw::test::referencePath("argo/workflow.schema.json")} +
                 m_argoFiles);
    QVERIFY(py.waitForFinished(120000));
    if (py.exitCode() == 77)
        QSKIP("python3 lacks jsonschema/PyYAML (scripts/pipewright.sh installs them)");
    QVERIFY2(py.exitCode() == 0, py.readAllStandardOutput().constData());
}

QTEST_GUILESS_MAIN(TestComponentLibrary)
#include "tst_componentlibrary.moc"
