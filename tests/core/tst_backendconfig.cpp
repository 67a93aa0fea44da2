// SPDX-License-Identifier: Apache-2.0
// backends.yaml and credentials: what the CLI and the studio share. A
// configuration names where a credential comes from and never holds it;
// reading one never puts the secret in an error.
#include "runs/backendconfig.h"
#include "runs/backendregistry.h"
#include "runs/credentials.h"
#include "engine/localbackendfactory.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace pw;

namespace {

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    QFile f(dir.filePath(name));
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return f.fileName();
}

} // namespace

class TestBackendConfig final : public QObject {
    Q_OBJECT

private slots:
    void missingFileIsNoBackends()
    {
        auto configs = BackendConfigFile::load("/nonexistent/backends.yaml");
        QVERIFY(configs.ok());
        QVERIFY(configs->empty());
    }

    void saveAndLoadKeepEverythingButSecrets()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("config/pipewright/backends.yaml").toStdString();
        std::vector<BackendConfig> configs{
            {"prod", "kfp", "https://kfp.example.com", "team-a", {{"api", "v2"}, {"caFile", "/etc/ca.pem"}},
             {CredentialSource::Kind::Env, "KFP_TOKEN"}},
            {"argo-dev", "argo", "https://argo.local:2746", "ml", {}, {CredentialSource::Kind::Command, "kubectl create token argo"}},
            {"vertex", "vertex", {}, {}, {{"project", "p"}, {"location", "europe-west4"}},
             {CredentialSource::Kind::Keyring, "vertex-sa"}},
        };
        QVERIFY(BackendConfigFile::save(path, configs).ok());
        struct stat st {};
        QCOMPARE(::stat(path.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u); // names of secrets are still nobody else's business
        auto loaded = BackendConfigFile::load(path);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().toString().c_str());
        QCOMPARE(loaded->size(), std::size_t(3));
        QCOMPARE((*loaded)[0].ns, std::string("team-a"));
        QCOMPARE((*loaded)[0].setting("api"), std::string("v2"));
        QCOMPARE((*loaded)[0].credential.describe(), std::string("env:KFP_TOKEN"));
        QCOMPARE((*loaded)[1].credential.describe(), std::string("command:kubectl create token argo"));
        QCOMPARE((*loaded)[2].credential.describe(), std::string("keyring:vertex-sa"));
        QCOMPARE((*loaded)[2].setting("location"), std::string("europe-west4"));
    }

    void malformedFilesNameLineAndField_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown field") << QByteArray("backends:\n- name: a\n  kind: kfp\n  token: abc\n") << 4
                                       << "unknown field 'token'";
        QTest::newRow("no name") << QByteArray("backends:\n- kind: kfp\n") << 2 << "needs a name";
        QTest::newRow("bad name") << QByteArray("backends:\n- {name: 'a b', kind: kfp}\n") << 2 << "needs a name";
        QTest::newRow("no kind") << QByteArray("backends:\n- name: a\n") << 2 << "has no kind";
        QTest::newRow("twice") << QByteArray("backends:\n- {name: a, kind: kfp}\n- {name: a, kind: argo}\n") << 3
                               << "defined twice";
        QTest::newRow("credential value") << QByteArray("backends:\n- name: a\n  kind: kfp\n  credential: {token: x}\n")
                                          << 4 << "unknown credential source 'token'";
        QTest::newRow("two credentials")
            << QByteArray("backends:\n- name: a\n  kind: kfp\n  credential: {env: A, file: B}\n") << 4
            << "must name one source";
        QTest::newRow("not a list") << QByteArray("backends: {a: 1}\n") << 1 << "must be a list";
        QTest::newRow("syntax") << QByteArray("backends:\n- name: [a\n") << 3 << "";
    }
    void malformedFilesNameLineAndField()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = write(dir, "backends.yaml", text);
        auto loaded = BackendConfigFile::load(path.toStdString());
        QVERIFY(!loaded.ok());
        QCOMPARE(QString::fromStdString(loaded.error().where.file), path);
        QCOMPARE(loaded.error().where.line, line);
        QVERIFY2(QString::fromStdString(loaded.error().message).contains(message), loaded.error().message.c_str());
    }

    void registryKnowsLocalAndSaysWhatIsMissing()
    {
        BackendRegistry registry;
        registry.addFactory(std::make_shared<LocalBackendFactory>());
        registry.setConfigs({{"prod", "kfp", "https://x", {}, {}, {}}});
        QVERIFY(registry.config("local")); // always there
        auto local = registry.backend("local");
        QVERIFY(local.ok());
        QCOMPARE((*local)->kind(), QString("local"));
        auto prod = registry.backend("prod");
        QVERIFY(!prod.ok());
        QVERIFY2(prod.error().message.find("no plugin provides that kind") != std::string::npos,
                 prod.error().message.c_str());
        BackendConfig wrong{"odd", "local", {}, {}, {{"colour", "blue"}}, {}};
        QVERIFY(!LocalBackendFactory().check(wrong).ok());
    }

    void credentialsFromEnvFileAndCommand()
    {
        QTemporaryDir dir;
        qputenv("PW_TEST_TOKEN", "tok-from-env\n");
        auto env = readCredential({CredentialSource::Kind::Env, "PW_TEST_TOKEN"});
        QVERIFY(env.ok());
        QCOMPARE(env->reveal(), std::string("tok-from-env"));

        const QString file = write(dir, "token", "tok-from-file\n\n");
        auto fromFile = readCredential({CredentialSource::Kind::File, file.toStdString()});
        QVERIFY(fromFile.ok());
        QCOMPARE(fromFile->reveal(), std::string("tok-from-file"));

        auto fromCommand = readCredential({CredentialSource::Kind::Command, "printf '  tok-from-command\\n'"});
        QVERIFY(fromCommand.ok());
        QCOMPARE(fromCommand->reveal(), std::string("tok-from-command"));
    }

    void credentialErrorsNameTheSourceNeverTheValue()
    {
        qunsetenv("PW_TEST_MISSING");
        auto env = readCredential({CredentialSource::Kind::Env, "PW_TEST_MISSING"});
        QVERIFY(!env.ok());
        QVERIFY(env.error().message.find("PW_TEST_MISSING is not set") != std::string::npos);

        auto file = readCredential({CredentialSource::Kind::File, "/nonexistent/token"});
        QVERIFY(!file.ok());
        QVERIFY(file.error().message.find("/nonexistent/token") != std::string::npos);

        // A command that prints the token and then fails: its error output
        // is shown, with the token taken out.
        qputenv("PW_TEST_CMD_TOKEN", "s3cr3t-token");
        auto failing = readCredential({CredentialSource::Kind::Command,
                                       "echo $PW_TEST_CMD_TOKEN; echo denied for $PW_TEST_CMD_TOKEN >&2; exit 3"});
        QVERIFY(!failing.ok());
        const std::string &m = failing.error().message;
        QVERIFY2(m.find("exit code 3") != std::string::npos, m.c_str());
        QVERIFY2(m.find("denied for [redacted]") != std::string::npos, m.c_str());
        QVERIFY2(m.find("s3cr3t") == std::string::npos, m.c_str());

        auto silent = readCredential({CredentialSource::Kind::Command, "true"});
        QVERIFY(!silent.ok());
        QVERIFY(silent.error().message.find("printed nothing") != std::string::npos);

        auto slow = readCredential({CredentialSource::Kind::Command, "sleep 5"}, 200);
        QVERIFY(!slow.ok());
        QVERIFY(slow.error().message.find("did not finish") != std::string::npos);
    }

    void secretsRedactAndForget()
    {
        Secret s("abc123");
        QCOMPARE(s.redact("token abc123 and abc123"), std::string("token [redacted] and [redacted]"));
        Secret moved = std::move(s);
        QVERIFY(s.empty());
        QCOMPARE(moved.reveal(), std::string("abc123"));
        QCOMPARE(Secret().redact("x"), std::string("x"));
    }
};

QTEST_GUILESS_MAIN(TestBackendConfig)
#include "tst_backendconfig.moc"
