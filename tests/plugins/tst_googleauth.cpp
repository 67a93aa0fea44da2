// SPDX-License-Identifier: Apache-2.0
// Google credentials for the remote backends (plugins/common/googleauth*).
//
// Everything runs against a loopback token endpoint
// (tests/servers/google/token_server.py) that checks grants as Google's does:
// it verifies each JWT's RS256 signature with the key's public key (RSA in
// plain Python, not OpenSSL), its aud, iat and exp, and answers in Google's
// shapes. A throwaway RSA key is made per run with `openssl genpkey`.
// The JWTs are also verified by `openssl dgst -verify` and by Debian's
// python3-google-auth, and Google's own library is pointed at the same
// endpoint so that what it sends and what we send can be compared field by
// field, as can the captures in tests/reference/backends/google-auth/.
#include "googleauthclient.h"
#include "googleauthcredentials.h"
#include "googleauthdefault.h"
#include "googleauthjwt.h"
#include "googleauthtokensource.h"
#include "httpclient.h"
#include "testdata.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <atomic>
#include <fstream>
#include <future>
#include <set>
#include <thread>

using namespace pw;
using namespace pw::google;
using json = nlohmann::json;
using Clock = std::chrono::system_clock;

// QCOMPARE cannot take nlohmann::json (its overload set trips over Qt's
// numeric types); compare the JSON texts, which also prints them on failure.
#define QCOMPARE_JSON(actual, expected) QCOMPARE(json(actual).dump(), json(expected).dump())

namespace {

struct Ran {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Ran run(const QString &program, const QStringList &args,
        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
        const QByteArray &input = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    Ran r;
    if (!p.waitForStarted(10000)) {
        r.err = "cannot start " + program.toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished(2000);
        r.err = "timed out: " + program.toUtf8();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString randomHex(int bytes)
{
    QByteArray b(bytes, '\0');
    for (auto &c : b)
        c = char(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(b.toHex());
}

// A JWT's parts decoded by Qt, not by the code under test.
json jwtPart(const std::string &token, int index)
{
    const QList<QByteArray> parts = QByteArray::fromStdString(token).split('.');
    if (parts.size() != 3)
        return {};
    const QByteArray bytes = QByteArray::fromBase64(parts[index], QByteArray::Base64UrlEncoding);
    return json::parse(bytes.toStdString(), nullptr, false);
}

std::set<std::string> keysOf(const json &object)
{
    std::set<std::string> keys;
    for (auto it = object.begin(); it != object.end(); ++it)
        keys.insert(it.key());
    return keys;
}

std::string mediaType(const std::string &contentType)
{
    return contentType.substr(0, contentType.find(';'));
}

const char *c(const std::string &s)
{
    return s.c_str();
}

// Runs `body` on `count` threads; `release` opens once all have started
// and had 200 ms to block inside token().
template <typename Body> void onThreads(int count, std::promise<void> &release, Body body)
{
    std::atomic<int> started{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < count; ++i)
        threads.emplace_back([&] {
            ++started;
            body();
        });
    while (started.load() < count)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    release.set_value();
    for (auto &t : threads)
        t.join();
}

} // namespace

class TestGoogleAuth final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_server;
    int m_port = 0;
    QString m_log;
    QString m_googlePython; // a python3 with google-auth and requests, else empty
    QString m_googleMissing;

    std::string m_email = "pipewright-ci@pw-test-project.iam.gserviceaccount.com";
    std::string m_kid;
    QString m_keyPem, m_pubPem, m_certPem, m_otherKeyPem, m_ecKeyPem;
    QString m_keyFile, m_userFile;
    std::string m_clientId = "764086051850-pipewright.apps.googleusercontent.com";
    std::string m_clientSecret, m_refreshToken;
    std::vector<std::string> m_secrets; // none may ever show in an error

    QString path(const QString &name) const { return m_dir.filePath(name); }
    std::string tokenUri() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/token"; }
    static net::HttpTransport transport() { return net::CurlTransport{}; }

    QByteArray serviceAccountJson(const std::string &email, const QString &pemFile, const std::string &uri,
                                  const std::string &project = "pw-test-project") const
    {
        nlohmann::ordered_json key{{"type", "service_account"},
                                   {"project_id", project},
                                   {"private_key_id", m_kid},
                                   {"private_key", readFile(pemFile).toStdString()},
                                   {"client_email", email},
                                   {"client_id", "100000000000000000001"},
                                   {"auth_uri", "https://accounts.google.com/o/oauth2/auth"},
                                   {"token_uri", uri}};
        return QByteArray::fromStdString(key.dump(2));
    }

    QByteArray userJson(const std::string &uri) const
    {
        nlohmann::ordered_json user{{"client_id", m_clientId},
                                    {"client_secret", m_clientSecret},
                                    {"refresh_token", m_refreshToken},
                                    {"type", "authorized_user"}};
        if (!uri.empty())
            user["token_uri"] = uri;
        return QByteArray::fromStdString(user.dump(2));
    }

    std::vector<json> requests() const
    {
        std::vector<json> lines;
        std::ifstream in(m_log.toStdString());
        for (std::string line; std::getline(in, line);)
            if (!line.empty())
                lines.push_back(json::parse(line));
        return lines;
    }

    void setExpiresIn(int seconds) const
    {
        net::HttpRequest request;
        request.method = "POST";
        request.url = "http://127.0.0.1:" + std::to_string(m_port) + "/control";
        request.body = json{{"expires_in", seconds}}.dump();
        auto reply = transport()(request);
        QVERIFY2(reply.ok() && reply->status == 200, "the token server took no control request");
    }

    // Empty when `text` holds no secret, else which one it holds.
    std::string secretIn(const std::string &text) const
    {
        for (const auto &secret : m_secrets)
            if (text.find(secret) != std::string::npos)
                return "a secret: " + secret.substr(0, 6) + "...";
        if (text.find("eyJ") != std::string::npos)
            return "a JWT (assertion or ID token)";
        if (text.find("ya29.") != std::string::npos)
            return "an access token";
        return {};
    }

    ServiceAccountKey loadKey(const QString &file) const
    {
        auto credentials = GoogleCredentials::fromFile(file.toStdString());
        if (!credentials || !credentials->serviceAccount())
            return {};
        return *credentials->serviceAccount();
    }

    Ran google(const QStringList &args,
               const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        return run(m_googlePython,
                   QStringList{QStringLiteral(PW_TEST_SERVERS_DIR "/google/google_auth_client.py")} + args,
                   env);
    }

    bool openssl(const QStringList &args, Ran *out = nullptr) const
    {
        Ran r = run(QStringLiteral("openssl"), args);
        if (out)
            *out = r;
        if (r.code != 0)
            qWarning("openssl %s: %s", qPrintable(args.join(' ')), r.err.constData());
        return r.code == 0;
    }
    // For the checks that must fail: no warning when they do.
    static bool opensslRefuses(const QStringList &args)
    {
        return run(QStringLiteral("openssl"), args).code != 0;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The loopback servers must be reached directly, whatever proxy the machine has.
        qputenv("no_proxy", "127.0.0.1,localhost");
        qputenv("NO_PROXY", "127.0.0.1,localhost");

        // A throwaway key per run: PKCS#8 PEM, as Google issues them.
        m_keyPem = path("key.pem");
        m_pubPem = path("pub.pem");
        m_certPem = path("cert.pem");
        m_otherKeyPem = path("other-key.pem");
        m_ecKeyPem = path("ec-key.pem");
        QVERIFY(
            openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", m_keyPem}));
        QVERIFY(openssl({"pkey", "-in", m_keyPem, "-pubout", "-out", m_pubPem}));
        // Google publishes its service accounts' public keys as certificates, by kid.
        QVERIFY(openssl({"req", "-new", "-x509", "-key", m_keyPem, "-subj",
                         "/CN=" + QString::fromStdString(m_email), "-days", "1", "-out", m_certPem}));
        QVERIFY(openssl(
            {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", m_otherKeyPem}));
        QVERIFY(openssl(
            {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", m_ecKeyPem}));
        m_kid = randomHex(20).toStdString();
        m_clientSecret = "GOCSPX-" + randomHex(12).toStdString();
        m_refreshToken = "1//0g" + randomHex(24).toStdString();
        m_secrets = {m_clientSecret, m_refreshToken};
        for (const QString &pem : {m_keyPem, m_otherKeyPem}) {
            const QList<QByteArray> lines = readFile(pem).split('\n');
            QVERIFY(lines.size() > 10);
            for (int i = 3; i < 8; ++i) // lines from the middle of the key's body
                m_secrets.push_back(lines[i].toStdString());
        }

        json config{
            {"service_accounts", json::array({{{"client_email", m_email},
                                               {"kid", m_kid},
                                               {"public_key_pem", readFile(m_pubPem).toStdString()}}})},
            {"authorized_users", json::array({{{"client_id", m_clientId},
                                               {"client_secret", m_clientSecret},
                                               {"refresh_token", m_refreshToken}}})},
            {"expires_in", 3599}};
        QVERIFY(writeFile(path("server.json"), QByteArray::fromStdString(config.dump())));
        m_log = path("requests.jsonl");
        m_server.start(QStringLiteral(PW_PYTHON),
                       {QStringLiteral(PW_TEST_SERVERS_DIR "/google/token_server.py"), "--config",
                        path("server.json"), "--log", m_log, "--max-seconds", "900"});
        QVERIFY2(m_server.waitForStarted(10000), PW_PYTHON " does not start");
        QByteArray line;
        for (int i = 0; i < 100 && !line.contains('\n'); ++i) {
            m_server.waitForReadyRead(100);
            line += m_server.readAllStandardOutput();
        }
        QVERIFY2(line.startsWith("listening on "), (line + m_server.readAllStandardError()).constData());
        m_port = line.mid(13).trimmed().toInt();
        QVERIFY(m_port > 0);

        m_keyFile = path("service-account.json");
        m_userFile = path("authorized-user.json");
        QVERIFY(writeFile(m_keyFile, serviceAccountJson(m_email, m_keyPem, tokenUri())));
        QVERIFY(writeFile(m_userFile, userJson(tokenUri())));

        // Debian's python3-google-auth: the build's python may be another
        // (pyenv) one without it, so Debian's own is tried too.
        for (const QString &py : {QStringLiteral(PW_PYTHON), QStringLiteral("/usr/bin/python3")}) {
            Ran r = run(py, {QStringLiteral(PW_TEST_SERVERS_DIR "/google/google_auth_client.py"), "check"});
            if (r.code == 0) {
                m_googlePython = py;
                break;
            }
            m_googleMissing = QString::fromUtf8(r.err).trimmed();
        }
    }

    void init() { setExpiresIn(3599); }

    void cleanupTestCase()
    {
        if (m_server.state() != QProcess::NotRunning) {
            m_server.closeWriteChannel(); // the server stops when its stdin closes
            if (!m_server.waitForFinished(5000)) {
                m_server.kill();
                m_server.waitForFinished(2000);
            }
        }
    }

    // --- base64url and the key file ---

    void base64Url_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("encoded");
        // RFC 4648 section 10, unpadded, and the two characters base64url changes.
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("f") << QByteArray("f") << QByteArray("Zg");
        QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8");
        QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
        QTest::newRow("foob") << QByteArray("foob") << QByteArray("Zm9vYg");
        QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("Zm9vYmE");
        QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
        QTest::newRow("url alphabet") << QByteArray("\xfb\xff\xbf", 3) << QByteArray("-_-_");
    }

    void base64Url()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, encoded);
        QCOMPARE(QByteArray::fromStdString(base64UrlEncode(bytes.toStdString())), encoded);
        QCOMPARE(QByteArray::fromStdString(base64UrlEncode(bytes.toStdString())),
                 bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        auto decoded = base64UrlDecode(encoded.toStdString());
        QVERIFY(decoded.ok());
        QCOMPARE(QByteArray::fromStdString(*decoded), bytes);
        // google-auth 1.5 pads; a padded segment decodes the same.
        auto padded = base64UrlDecode(bytes.toBase64(QByteArray::Base64UrlEncoding).toStdString());
        QVERIFY(padded.ok());
        QCOMPARE(QByteArray::fromStdString(*padded), bytes);
        QVERIFY(!base64UrlDecode("ab+c").ok());
        QVERIFY(!base64UrlDecode("abcde").ok());
    }

    void serviceAccountKeyFile()
    {
        auto credentials = GoogleCredentials::fromFile(m_keyFile.toStdString());
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : c(credentials.error().toString()));
        QCOMPARE(credentials->kind(), GoogleCredentials::Kind::ServiceAccount);
        const ServiceAccountKey *key = credentials->serviceAccount();
        QCOMPARE(key->clientEmail, m_email);
        QCOMPARE(key->privateKeyId, m_kid);
        QCOMPARE(key->tokenUri, tokenUri());
        QCOMPARE(key->projectId, std::string("pw-test-project"));
        QCOMPARE(key->file, m_keyFile.toStdString());
        QCOMPARE(key->signer.bits(), 2048);
        QCOMPARE(credentials->projectId(), std::string("pw-test-project"));
        QVERIFY(credentials->describe().find(m_email) != std::string::npos);
        QVERIFY(secretIn(credentials->describe()).empty());
        // The public half is the one openssl derives from the file.
        auto pub = key->signer.publicKeyPem();
        QVERIFY(pub.ok());
        QCOMPARE(QByteArray::fromStdString(*pub), readFile(m_pubPem));

        auto user = GoogleCredentials::fromFile(m_userFile.toStdString());
        QVERIFY(user.ok());
        QCOMPARE(user->kind(), GoogleCredentials::Kind::AuthorizedUser);
        QCOMPARE(user->authorizedUser()->clientId, m_clientId);
        QCOMPARE(user->authorizedUser()->refreshToken.reveal(), m_refreshToken);
        QCOMPARE(user->authorizedUser()->tokenUri, tokenUri());
        QVERIFY(secretIn(user->describe()).empty());
        // Without token_uri (what gcloud writes): Google's endpoint.
        auto plain = GoogleCredentials::fromJson(userJson({}).toStdString(), "adc.json");
        QVERIFY(plain.ok());
        QCOMPARE(plain->authorizedUser()->tokenUri, std::string(kGoogleTokenUri));
    }

    void malformedFilesNameFileAndField_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        const std::string pem = readFile(m_keyPem).toStdString();
        auto sa = [&](std::function<void(json &)> change) {
            json key{{"type", "service_account"},
                     {"project_id", "p"},
                     {"private_key_id", "k"},
                     {"private_key", pem},
                     {"client_email", "a@p.iam.gserviceaccount.com"},
                     {"token_uri", "https://oauth2.googleapis.com/token"}};
            change(key);
            return QByteArray::fromStdString(key.dump());
        };
        auto user = [&](std::function<void(json &)> change) {
            json u = json::parse(userJson({}).toStdString());
            change(u);
            return QByteArray::fromStdString(u.dump());
        };
        const QByteArray pemBody = readFile(m_keyPem).split('\n').mid(1, 10).join('\n');
        QTest::newRow("not JSON, secret next to the error")
            << QByteArray::fromStdString("{\"type\": \"authorized_user\", \"refresh_token\": \"" +
                                         m_refreshToken + "\" \"client_id\": \"x\"}")
            << ""
            << "not valid JSON";
        QTest::newRow("not an object") << QByteArray("[1, 2]") << ""
                                       << "not a JSON object";
        QTest::newRow("no type") << sa([](json &k) { k.erase("type"); }) << "type"
                                 << "'type' is missing";
        QTest::newRow("unsupported type") << sa([](json &k) { k["type"] = "external_account"; }) << "type"
                                          << "'external_account' are not supported";
        QTest::newRow("no client_email") << sa([](json &k) { k.erase("client_email"); }) << "client_email"
                                         << "'client_email' is missing";
        QTest::newRow("client_email a number")
            << sa([](json &k) { k["client_email"] = 42; }) << "client_email"
            << "'client_email' is not a string";
        QTest::newRow("no private_key") << sa([](json &k) { k.erase("private_key"); }) << "private_key"
                                        << "'private_key' is missing";
        QTest::newRow("private_key empty") << sa([](json &k) { k["private_key"] = ""; }) << "private_key"
                                           << "'private_key' is empty";
        QTest::newRow("private_key not PEM")
            << sa([&](json &k) { k["private_key"] = m_refreshToken; }) << "private_key"
            << "not a PEM private key";
        QTest::newRow("private_key damaged") << sa([&](json &k) {
            k["private_key"] =
                "-----BEGIN PRIVATE KEY-----\n" + pemBody.toStdString() + "\n-----END PRIVATE KEY-----\n";
        }) << "private_key"
                                             << "cannot read the private key";
        QTest::newRow("private_key not RSA")
            << sa([&](json &k) { k["private_key"] = readFile(m_ecKeyPem).toStdString(); }) << "private_key"
            << "not an RSA key";
        QTest::newRow("token_uri over plain http")
            << sa([](json &k) { k["token_uri"] = "http://oauth2.example.com/token"; }) << "token_uri"
            << "must be an https URL";
        QTest::newRow("token_uri a number") << sa([](json &k) { k["token_uri"] = 1; }) << "token_uri"
                                            << "'token_uri' is not a string";
        QTest::newRow("no refresh_token")
            << user([](json &u) { u.erase("refresh_token"); }) << "refresh_token"
            << "'refresh_token' is missing";
        QTest::newRow("no client_secret")
            << user([](json &u) { u.erase("client_secret"); }) << "client_secret"
            << "'client_secret' is missing";
        QTest::newRow("no client_id") << user([](json &u) { u.erase("client_id"); }) << "client_id"
                                      << "'client_id' is missing";
    }

    void malformedFilesNameFileAndField()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const QString file = path("malformed/" + QString::fromLatin1(QTest::currentDataTag()) + ".json");
        QVERIFY(writeFile(file, text));
        auto credentials = GoogleCredentials::fromFile(file.toStdString());
        QVERIFY(!credentials.ok());
        const Error &error = credentials.error();
        const std::string shown = error.toString();
        QCOMPARE(QString::fromStdString(error.where.file), file);
        QCOMPARE(QString::fromStdString(error.where.field), field);
        QVERIFY2(shown.find(file.toStdString()) != std::string::npos, c(shown));
        QVERIFY2(shown.find(message.toStdString()) != std::string::npos, c(shown));
        if (!field.isEmpty())
            QVERIFY2(shown.find("field: " + field.toStdString()) != std::string::npos, c(shown));
        QVERIFY2(secretIn(shown).empty(), c(secretIn(shown) + " in " + shown));
    }

    void missingFileIsNamed()
    {
        auto credentials = GoogleCredentials::fromFile(path("nope.json").toStdString());
        QVERIFY(!credentials.ok());
        QVERIFY(credentials.error().toString().find(path("nope.json").toStdString()) != std::string::npos);
    }

    void tokenUriMustBeHttpsOffLoopback_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("acceptable");
        QTest::newRow("google") << "https://oauth2.googleapis.com/token" << true;
        QTest::newRow("loopback") << "http://127.0.0.1:8080/token" << true;
        QTest::newRow("loopback /8") << "http://127.1.2.3/token" << true;
        QTest::newRow("localhost") << "http://localhost:9/token" << true;
        QTest::newRow("ipv6 loopback") << "http://[::1]:9/token" << true;
        QTest::newRow("plain http") << "http://oauth2.googleapis.com/token" << false;
        QTest::newRow("look-alike") << "http://127.0.0.1.example.com/token" << false;
        QTest::newRow("userinfo trick") << "http://127.0.0.1@example.com/token" << false;
        QTest::newRow("localhost look-alike") << "http://localhost.example.com/token" << false;
        QTest::newRow("other scheme") << "file:///etc/passwd" << false;
        QTest::newRow("empty https") << "https://" << false;
    }

    void tokenUriMustBeHttpsOffLoopback()
    {
        QFETCH(QString, uri);
        QFETCH(bool, acceptable);
        QCOMPARE(isAcceptableTokenUri(uri.toStdString()), acceptable);
    }

    // --- the JWTs, verified by others ---

    void jwtShape()
    {
        const ServiceAccountKey key = loadKey(m_keyFile);
        const auto now = Clock::now();
        auto assertion = OAuthClient::accessTokenAssertion(key, {kCloudPlatformScope}, now);
        QVERIFY(assertion.ok());
        // Compact, unpadded base64url (RFC 7515): no '=', '+' or '/'.
        QVERIFY(assertion->find_first_of("=+/ ") == std::string::npos);
        json header = jwtPart(*assertion, 0);
        json claims = jwtPart(*assertion, 1);
        QCOMPARE_JSON(header, json({{"typ", "JWT"}, {"alg", "RS256"}, {"kid", m_kid}}));
        const auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
        QCOMPARE_JSON(claims, json({{"iat", iat},
                                    {"exp", iat + 3600},
                                    {"iss", m_email},
                                    {"aud", tokenUri()},
                                    {"scope", kCloudPlatformScope}}));
        auto two = OAuthClient::accessTokenAssertion(key, {kCloudPlatformScope, "openid"}, now);
        QCOMPARE_JSON(jwtPart(*two, 1)["scope"], json(std::string(kCloudPlatformScope) + " openid"));

        auto id = OAuthClient::idTokenAssertion(key, "123-abc.apps.googleusercontent.com", now);
        QVERIFY(id.ok());
        QCOMPARE_JSON(jwtPart(*id, 1), json({{"iat", iat},
                                             {"exp", iat + 3600},
                                             {"iss", m_email},
                                             {"aud", tokenUri()},
                                             {"target_audience", "123-abc.apps.googleusercontent.com"}}));
        // No kid in the file: none in the header, as Google's libraries do.
        ServiceAccountKey noKid = key;
        noKid.privateKeyId.clear();
        QCOMPARE(keysOf(jwtPart(*OAuthClient::accessTokenAssertion(noKid, {"s"}, now), 0)),
                 (std::set<std::string>{"alg", "typ"}));
    }

    void jwtVerifiesWithOpenSsl_data()
    {
        QTest::addColumn<bool>("idToken");
        QTest::newRow("access token assertion") << false;
        QTest::newRow("ID token assertion") << true;
    }

    void jwtVerifiesWithOpenSsl()
    {
        QFETCH(bool, idToken);
        const ServiceAccountKey key = loadKey(m_keyFile);
        auto jwt = idToken ? OAuthClient::idTokenAssertion(key, "aud-1", Clock::now())
                           : OAuthClient::accessTokenAssertion(key, {kCloudPlatformScope}, Clock::now());
        QVERIFY(jwt.ok());
        const QList<QByteArray> parts = QByteArray::fromStdString(*jwt).split('.');
        QCOMPARE(parts.size(), 3);
        const QByteArray signature = QByteArray::fromBase64(parts[2], QByteArray::Base64UrlEncoding);
        QCOMPARE(signature.size(), 256); // RSA-2048
        QVERIFY(writeFile(path("jwt.input"), parts[0] + '.' + parts[1]));
        QVERIFY(writeFile(path("jwt.sig"), signature));
        Ran verified;
        QVERIFY(openssl(
            {"dgst", "-sha256", "-verify", m_pubPem, "-signature", path("jwt.sig"), path("jwt.input")},
            &verified));
        QVERIFY2(verified.out.contains("Verified OK"), verified.out.constData());
        // Not vacuous: a changed claim fails, and so does another key.
        QVERIFY(writeFile(path("jwt.input"), parts[0] + '.' + parts[1] + 'x'));
        QVERIFY(opensslRefuses(
            {"dgst", "-sha256", "-verify", m_pubPem, "-signature", path("jwt.sig"), path("jwt.input")}));
        QVERIFY(writeFile(path("jwt.input"), parts[0] + '.' + parts[1]));
        QVERIFY(openssl({"pkey", "-in", m_otherKeyPem, "-pubout", "-out", path("other-pub.pem")}));
        QVERIFY(opensslRefuses({"dgst", "-sha256", "-verify", path("other-pub.pem"), "-signature",
                                path("jwt.sig"), path("jwt.input")}));
    }

    void jwtVerifiesWithGoogleAuth_data()
    {
        QTest::addColumn<bool>("idToken");
        QTest::newRow("access token assertion") << false;
        QTest::newRow("ID token assertion") << true;
    }

    void jwtVerifiesWithGoogleAuth()
    {
        QFETCH(bool, idToken);
        if (m_googlePython.isEmpty())
            QSKIP(qPrintable("needs Debian's python3-google-auth and python3-requests: " + m_googleMissing));
        const ServiceAccountKey key = loadKey(m_keyFile);
        auto jwt = idToken ? OAuthClient::idTokenAssertion(key, "aud-1", Clock::now())
                           : OAuthClient::accessTokenAssertion(key, {kCloudPlatformScope}, Clock::now());
        QVERIFY(jwt.ok());
        const QString token = QString::fromStdString(*jwt);
        // google.auth.jwt.decode: signature (certificate looked up by the
        // header's kid, as Google's certs are), aud, iat and exp.
        Ran r = google({"verify", token, m_certPem, QString::fromStdString(tokenUri())});
        QVERIFY2(r.code == 0, r.err.constData());
        json decoded = json::parse(r.out.toStdString());
        QCOMPARE_JSON(decoded["header"]["kid"], json(m_kid));
        QCOMPARE_JSON(decoded["claims"]["iss"], json(m_email));
        QCOMPARE_JSON(decoded["claims"]["aud"], json(tokenUri()));
        if (idToken)
            QCOMPARE_JSON(decoded["claims"]["target_audience"], json("aud-1"));
        else
            QCOMPARE_JSON(decoded["claims"]["scope"], json(kCloudPlatformScope));
        // With the bare public key (google-auth's cryptography backend reads it).
        Ran bare = google({"verifykey", token, m_pubPem, QString::fromStdString(tokenUri())});
        QVERIFY2(bare.code == 0 || bare.code == 4, bare.err.constData());
        if (bare.code == 4)
            qInfo("google-auth verified with the certificate only: %s", bare.err.trimmed().constData());
        // And google-auth refuses what it should.
        QVERIFY(google({"verify", token, m_certPem, "https://other.example/token"}).code != 0);
        QVERIFY(openssl({"req", "-new", "-x509", "-key", m_otherKeyPem, "-subj", "/CN=other", "-days", "1",
                         "-out", path("other-cert.pem")}));
        QVERIFY(google({"verify", token, path("other-cert.pem"), QString::fromStdString(tokenUri())}).code !=
                0);
    }

    // --- the grants, compared with Google's libraries ---

    void grantsMatchTheReferenceCaptures()
    {
        // What google-auth (Python) and google-auth-library (Node) sent, captured.
        std::vector<json> python, node;
        for (auto [name, out] : {std::pair{"google_auth_python_token_requests.jsonl", &python},
                                 std::pair{"google_auth_library_node_refresh_token_request.jsonl", &node}}) {
            std::ifstream in(
                pw::test::referencePath("backends/google-auth/" + QString::fromLatin1(name)).toStdString());
            for (std::string line; std::getline(in, line);)
                if (!line.empty())
                    out->push_back(json::parse(line));
        }
        QCOMPARE(python.size(), std::size_t(2));
        QCOMPARE(node.size(), std::size_t(1));

        const std::size_t before = requests().size();
        const ServiceAccountKey key = loadKey(m_keyFile);
        OAuthClient client(transport());
        auto access = client.accessToken(key, {kCloudPlatformScope});
        QVERIFY2(access.ok(), access.ok() ? "" : c(access.error().toString()));
        auto user = GoogleCredentials::fromFile(m_userFile.toStdString());
        auto refreshed = client.refresh(*user->authorizedUser());
        QVERIFY2(refreshed.ok(), refreshed.ok() ? "" : c(refreshed.error().toString()));
        const auto sent = requests();
        QCOMPARE(sent.size(), before + 2);
        json ours = sent[before];
        json oursRefresh = sent[before + 1];

        // JWT-bearer grant: same path, content type, form fields, grant type.
        json theirs = python[0];
        QCOMPARE_JSON(ours["path"], theirs["path"]);
        QCOMPARE_JSON(ours["ctype"], theirs["ctype"]);
        QCOMPARE(keysOf(ours["form"]), keysOf(theirs["form"]));
        QCOMPARE_JSON(ours["form"]["grant_type"], theirs["form"]["grant_type"]);
        QCOMPARE_JSON(ours["form"]["grant_type"][0], json(OAuthClient::kJwtBearerGrant));
        // The assertion: same header and claim names, same algorithm, same lifetime.
        const std::string theirAssertion = theirs["form"]["assertion"][0];
        json theirHeader = jwtPart(theirAssertion, 0), theirClaims = jwtPart(theirAssertion, 1);
        QCOMPARE(keysOf(ours["jwt_header"]), keysOf(theirHeader));
        QCOMPARE_JSON(ours["jwt_header"]["alg"], theirHeader["alg"]);
        QCOMPARE_JSON(ours["jwt_header"]["typ"], theirHeader["typ"]);
        QCOMPARE(keysOf(ours["jwt_claims"]), keysOf(theirClaims));
        QCOMPARE_JSON(ours["jwt_claims"]["scope"], theirClaims["scope"]);
        QCOMPARE(ours["jwt_claims"]["exp"].get<long long>() - ours["jwt_claims"]["iat"].get<long long>(),
                 theirClaims["exp"].get<long long>() - theirClaims["iat"].get<long long>());
        // aud is the token_uri in both.
        QCOMPARE_JSON(ours["jwt_claims"]["aud"], json(tokenUri()));
        QVERIFY(theirClaims["aud"].get<std::string>().ends_with(theirs["path"].get<std::string>()));

        // Refresh grant: same fields and values as both libraries; the media
        // type both use (Node adds ";charset=UTF-8", Python nothing; we send Python's).
        for (json lib : {python[1], node[0]}) {
            QCOMPARE(keysOf(oursRefresh["form"]), keysOf(lib["form"]));
            QCOMPARE_JSON(oursRefresh["form"]["grant_type"], lib["form"]["grant_type"]);
            QCOMPARE(mediaType(oursRefresh["ctype"]), mediaType(lib["ctype"]));
            QCOMPARE_JSON(oursRefresh["path"], lib["path"]);
        }
        QCOMPARE_JSON(oursRefresh["ctype"], python[1]["ctype"]);
        QCOMPARE_JSON(oursRefresh["order"],
                      json::array({"grant_type", "client_id", "client_secret", "refresh_token"}));
    }

    void grantsMatchGoogleAuthOnTheWire_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("access token (JWT-bearer)") << "access";
        QTest::newRow("ID token (JWT-bearer, target_audience)") << "idtoken";
        QTest::newRow("authorized_user (refresh_token)") << "user";
    }

    void grantsMatchGoogleAuthOnTheWire()
    {
        QFETCH(QString, kind);
        if (m_googlePython.isEmpty())
            QSKIP(qPrintable("needs Debian's python3-google-auth and python3-requests: " + m_googleMissing));
        const std::string audience = "123456-iap.apps.googleusercontent.com";
        OAuthClient client(transport());
        const std::size_t before = requests().size();

        // Google's library first, then ours, against the same server and key.
        Ran r = kind == "access"    ? google({"access", m_keyFile, kCloudPlatformScope})
                : kind == "idtoken" ? google({"idtoken", m_keyFile, QString::fromStdString(audience)})
                                    : google({"user", m_userFile, QString::fromStdString(tokenUri())});
        QVERIFY2(r.code == 0, r.err.constData());
        Result<GoogleToken> token = Error{"not run", {}};
        if (kind == "user")
            token = client.refresh(*GoogleCredentials::fromFile(m_userFile.toStdString())->authorizedUser());
        else if (kind == "idtoken")
            token = client.idToken(loadKey(m_keyFile), audience);
        else
            token = client.accessToken(loadKey(m_keyFile), {kCloudPlatformScope});
        QVERIFY2(token.ok(), token.ok() ? "" : c(token.error().toString()));

        const auto sent = requests();
        QCOMPARE(sent.size(), before + 2);
        json theirs = sent[before], ours = sent[before + 1];
        QCOMPARE_JSON(theirs["status"], json(200));
        QCOMPARE_JSON(ours["status"], json(200));
        QCOMPARE_JSON(ours["path"], theirs["path"]);
        QCOMPARE_JSON(ours["ctype"], theirs["ctype"]);
        QCOMPARE_JSON(ours["order"], theirs["order"]); // same fields, even in the same order
        QCOMPARE_JSON(ours["form"]["grant_type"], theirs["form"]["grant_type"]);
        if (kind == "user") {
            QCOMPARE_JSON(ours["form"], theirs["form"]); // no assertion: every value is the same
            return;
        }
        QCOMPARE_JSON(ours["jwt_header"], theirs["jwt_header"]); // {typ, alg: RS256, kid}
        QCOMPARE(keysOf(ours["jwt_claims"]), keysOf(theirs["jwt_claims"]));
        for (const char *claim : {"iss", "aud", "scope", "target_audience"})
            QCOMPARE_JSON(ours["jwt_claims"].value(claim, json()), theirs["jwt_claims"].value(claim, json()));
        QCOMPARE(ours["jwt_claims"]["exp"].get<long long>() - ours["jwt_claims"]["iat"].get<long long>(),
                 theirs["jwt_claims"]["exp"].get<long long>() - theirs["jwt_claims"]["iat"].get<long long>());
        // The one difference: Debian's google-auth 1.5 pads its base64url
        // segments; RFC 7515, newer google-auth and we do not. Google accepts both.
        QCOMPARE_JSON(ours["jwt_padded"], json(false));
        if (kind == "idtoken") {
            // The ID token's own exp is its expiry, as google-auth reads it.
            json claims = jwtPart(token->value.reveal(), 1);
            QCOMPARE_JSON(claims["aud"], json(audience));
            QCOMPARE(
                std::chrono::duration_cast<std::chrono::seconds>(token->expiry.time_since_epoch()).count(),
                claims["exp"].get<long long>());
            QVERIFY(!token->expiryAssumed);
        }
    }

    void accessTokenExpiry()
    {
        setExpiresIn(1234);
        OAuthClient client(transport());
        const auto before = Clock::now();
        auto token = client.accessToken(loadKey(m_keyFile), {kCloudPlatformScope});
        QVERIFY(token.ok());
        QVERIFY(token->value.reveal().starts_with("ya29."));
        QVERIFY(!token->expiryAssumed);
        QVERIFY(token->expiry >= before + std::chrono::seconds(1234));
        QVERIFY(token->expiry <= Clock::now() + std::chrono::seconds(1234));
    }

    // --- refusals, in the server's words and without secrets ---

    void refusalsQuoteTheServer_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("another key signed") << "wrong-key"
                                            << "(HTTP 400): invalid_grant: Invalid JWT Signature.";
        QTest::newRow("unknown account") << "unknown-account"
                                         << "invalid_grant: Invalid grant: account not found";
        QTest::newRow("aud is not the endpoint") << "wrong-aud"
                                                 << "invalid_grant: Invalid JWT: Failed audience check";
        QTest::newRow("revoked refresh token")
            << "revoked"
            << "invalid_grant: Token has been expired or revoked. (run 'gcloud "
               "auth application-default login' again)";
        QTest::newRow("wrong client secret") << "bad-client"
                                             << "(HTTP 401): invalid_client: Unauthorized";
        QTest::newRow("nobody listening") << "closed-port"
                                          << "cannot reach the token endpoint";
    }

    void refusalsQuoteTheServer()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        OAuthClient client(transport());
        ServiceAccountKey key = loadKey(m_keyFile);
        auto user = *GoogleCredentials::fromFile(m_userFile.toStdString())->authorizedUser();
        Result<GoogleToken> token = Error{"not run", {}};
        if (kind == "wrong-key") {
            key.signer = *JwtSigner::fromPem(Secret(readFile(m_otherKeyPem).toStdString()));
        } else if (kind == "unknown-account") {
            key.clientEmail = "stranger@pw-test-project.iam.gserviceaccount.com";
        } else if (kind == "wrong-aud") {
            key.tokenUri = "http://localhost:" + std::to_string(m_port) + "/token";
        } else if (kind == "revoked") {
            user.refreshToken = Secret("1//revoked" + m_refreshToken);
        } else if (kind == "bad-client") {
            user.clientSecret = Secret("GOCSPX-wrong" + m_clientSecret);
        } else if (kind == "closed-port") {
            key.tokenUri = "http://127.0.0.1:1/token";
        }
        token = (kind == "revoked" || kind == "bad-client") ? client.refresh(user)
                                                            : client.accessToken(key, {kCloudPlatformScope});
        QVERIFY(!token.ok());
        const std::string shown = token.error().toString();
        QVERIFY2(shown.find(expected.toStdString()) != std::string::npos, c(shown));
        QVERIFY2(shown.find(kind == "revoked" || kind == "bad-client"
                                ? m_userFile.toStdString()
                                : m_keyFile.toStdString()) != std::string::npos,
                 c(shown));
        QVERIFY2(secretIn(shown).empty(), c(secretIn(shown) + " in " + shown));
        QVERIFY(shown.find(user.refreshToken.reveal()) == std::string::npos);
        QVERIFY(shown.find(user.clientSecret.reveal()) == std::string::npos);
    }

    void serverChecksTheAssertionWindow_data()
    {
        QTest::addColumn<int>("issuedAgo");
        QTest::addColumn<int>("status");
        QTest::newRow("fresh") << 0 << 200;
        QTest::newRow("issued two hours ago (expired)") << 7200 << 400;
        QTest::newRow("issued in the future") << -3600 << 400;
    }

    void serverChecksTheAssertionWindow()
    {
        // The loopback endpoint must refuse what Google refuses, or the
        // comparisons above prove little.
        QFETCH(int, issuedAgo);
        QFETCH(int, status);
        auto assertion = OAuthClient::accessTokenAssertion(loadKey(m_keyFile), {kCloudPlatformScope},
                                                           Clock::now() - std::chrono::seconds(issuedAgo));
        net::HttpRequest request;
        request.method = "POST";
        request.url = tokenUri();
        request.headers = {{"Content-Type", OAuthClient::kFormContentType}};
        request.body =
            net::formEncode({{"assertion", *assertion}, {"grant_type", OAuthClient::kJwtBearerGrant}});
        auto reply = transport()(request);
        QVERIFY(reply.ok());
        QCOMPARE(reply->status, status);
        json body = json::parse(reply->body);
        if (status == 200) {
            QCOMPARE(keysOf(body), (std::set<std::string>{"access_token", "expires_in", "token_type"}));
            QCOMPARE_JSON(body["token_type"], json("Bearer"));
        } else {
            QCOMPARE_JSON(body["error"], json("invalid_grant"));
            QVERIFY(body["error_description"].get<std::string>().starts_with(
                "Invalid JWT: Token must be a short-lived"));
        }
    }

    void echoedSecretsAreRedacted()
    {
        // A server that quotes what it was sent must not get it into our error.
        net::HttpTransport echo = [](const net::HttpRequest &request) -> Result<net::HttpReply> {
            std::string decoded =
                QUrl::fromPercentEncoding(QByteArray::fromStdString(request.body)).toStdString();
            net::HttpReply reply;
            reply.status = 400;
            reply.body =
                json{{"error", "invalid_request"}, {"error_description", "you sent " + decoded}}.dump();
            return reply;
        };
        OAuthClient client(echo);
        auto user = *GoogleCredentials::fromFile(m_userFile.toStdString())->authorizedUser();
        auto refreshed = client.refresh(user);
        QVERIFY(!refreshed.ok());
        std::string shown = refreshed.error().toString();
        QVERIFY2(secretIn(shown).empty(), c(shown));
        QVERIFY2(shown.find("[redacted]") != std::string::npos, c(shown));
        QVERIFY(shown.find("client_id=" + m_clientId) != std::string::npos); // not secret, kept
        auto access = client.accessToken(loadKey(m_keyFile), {kCloudPlatformScope});
        QVERIFY(!access.ok());
        shown = access.error().toString();
        QVERIFY2(secretIn(shown).empty(), c(shown));
        QVERIFY2(shown.find("[redacted]") != std::string::npos, c(shown));
        // A non-JSON error page is quoted (first line, bounded), redacted too.
        net::HttpTransport page = [&](const net::HttpRequest &) -> Result<net::HttpReply> {
            net::HttpReply reply;
            reply.status = 502;
            reply.body = "Bad gateway " + m_refreshToken + "\n<html>...";
            return reply;
        };
        auto viaPage = OAuthClient(page).refresh(user);
        QVERIFY(!viaPage.ok());
        shown = viaPage.error().toString();
        QVERIFY2(shown.find("(HTTP 502): Bad gateway [redacted]") != std::string::npos, c(shown));
    }

    void answersWithoutATokenAreErrors()
    {
        net::HttpTransport empty = [](const net::HttpRequest &) -> Result<net::HttpReply> {
            net::HttpReply reply;
            reply.status = 200;
            reply.body = R"({"token_type": "Bearer"})";
            return reply;
        };
        auto access = OAuthClient(empty).accessToken(loadKey(m_keyFile), {kCloudPlatformScope});
        QVERIFY(!access.ok());
        QVERIFY(access.error().message.find("without an access_token") != std::string::npos);
        auto id = OAuthClient(empty).idToken(loadKey(m_keyFile), "aud");
        QVERIFY(!id.ok());
        QVERIFY(id.error().message.find("without an id_token") != std::string::npos);
    }

    // --- Application Default Credentials ---

    void adcDiscoveryOrder_data()
    {
        QTest::addColumn<QString>("gac");      // "-": unset; "": set but empty; else a file name
        QTest::addColumn<bool>("sdkDir");      // CLOUDSDK_CONFIG set
        QTest::addColumn<bool>("sdkFile");     // ... and its ADC file exists
        QTest::addColumn<bool>("homeFile");    // ~/.config/gcloud/application_default_credentials.json exists
        QTest::addColumn<QString>("expected"); // the account found, or "error: <text>"
        QTest::addColumn<bool>("compareWithGoogleAuth");
        QTest::newRow("GOOGLE_APPLICATION_CREDENTIALS first")
            << "gac.json" << true << true << true << "gac@pw.iam.gserviceaccount.com" << true;
        QTest::newRow("then CLOUDSDK_CONFIG")
            << "-" << true << true << true << "sdk@pw.iam.gserviceaccount.com" << true;
        QTest::newRow("then ~/.config/gcloud")
            << "-" << false << false << true << "home@pw.iam.gserviceaccount.com" << true;
        // Empty counts as unset (Node, Go); google-auth 1.5 would look for a file named "".
        QTest::newRow("empty GOOGLE_APPLICATION_CREDENTIALS")
            << "" << false << false << true << "home@pw.iam.gserviceaccount.com" << false;
        QTest::newRow("CLOUDSDK_CONFIG replaces ~/.config/gcloud")
            << "-" << true << false << true
            << "error: sdk/application_default_credentials.json (from CLOUDSDK_CONFIG; does not exist)"
            << false;
        QTest::newRow("GOOGLE_APPLICATION_CREDENTIALS names a missing file")
            << "missing.json" << false << false << true
            << "error: GOOGLE_APPLICATION_CREDENTIALS names %1/missing.json, which does not exist" << false;
        QTest::newRow("nothing anywhere")
            << "-" << false << false << false
            << "error: Looked at: GOOGLE_APPLICATION_CREDENTIALS (not set); "
               "%1/home/.config/gcloud/application_default_credentials.json (does not exist)"
            << false;
    }

    void adcDiscoveryOrder()
    {
        QFETCH(QString, gac);
        QFETCH(bool, sdkDir);
        QFETCH(bool, sdkFile);
        QFETCH(bool, homeFile);
        QFETCH(QString, expected);
        QFETCH(bool, compareWithGoogleAuth);
        QTemporaryDir root;
        const QString base = root.path();
        if (expected.contains("%1"))
            expected = expected.arg(base);
        auto key = [&](const char *who) {
            return serviceAccountJson(std::string(who) + "@pw.iam.gserviceaccount.com", m_keyPem, tokenUri(),
                                      std::string(who) + "-project");
        };
        QVERIFY(writeFile(base + "/gac.json", key("gac")));
        QDir().mkpath(base + "/sdk");
        QDir().mkpath(base + "/home");
        if (sdkFile)
            QVERIFY(writeFile(base + "/sdk/application_default_credentials.json", key("sdk")));
        if (homeFile)
            QVERIFY(
                writeFile(base + "/home/.config/gcloud/application_default_credentials.json", key("home")));

        AdcEnvironment env;
        env.home = (base + "/home").toStdString();
        if (gac != "-")
            env.googleApplicationCredentials =
                gac.isEmpty() ? std::string() : (base + "/" + gac).toStdString();
        if (sdkDir)
            env.cloudSdkConfig = (base + "/sdk").toStdString();
        auto found = ApplicationDefaultCredentials::load(env);
        if (expected.startsWith("error: ")) {
            QVERIFY(!found.ok());
            const std::string shown = found.error().toString();
            QVERIFY2(shown.find(expected.mid(7).toStdString()) != std::string::npos, c(shown));
            if (gac == "-" && !homeFile)
                QVERIFY2(shown.find("metadata server is not consulted") != std::string::npos, c(shown));
            return;
        }
        QVERIFY2(found.ok(), found.ok() ? "" : c(found.error().toString()));
        QCOMPARE(QString::fromStdString(found->serviceAccount()->clientEmail), expected);

        if (!compareWithGoogleAuth)
            return;
        if (m_googlePython.isEmpty())
            QSKIP(qPrintable("comparing with google.auth.default() needs python3-google-auth: " +
                             m_googleMissing));
        // Only rows where a file is found: google.auth.default() would go on
        // to ask a metadata server, which must not leave this machine.
        QProcessEnvironment penv = QProcessEnvironment::systemEnvironment();
        penv.remove("GOOGLE_APPLICATION_CREDENTIALS");
        penv.remove("CLOUDSDK_CONFIG");
        penv.insert("HOME", base + "/home");
        if (env.googleApplicationCredentials)
            penv.insert("GOOGLE_APPLICATION_CREDENTIALS",
                        QString::fromStdString(*env.googleApplicationCredentials));
        if (env.cloudSdkConfig)
            penv.insert("CLOUDSDK_CONFIG", QString::fromStdString(*env.cloudSdkConfig));
        Ran r = google({"adc"}, penv);
        QVERIFY2(r.code == 0, r.err.constData());
        json theirs = json::parse(r.out.toStdString());
        QCOMPARE(QString::fromStdString(theirs["email"].get<std::string>()), expected);
        QCOMPARE_JSON(theirs["project"], json(found->projectId()));
    }

    void adcFromProcessEnvironment()
    {
        qputenv("GOOGLE_APPLICATION_CREDENTIALS", m_keyFile.toUtf8());
        qputenv("CLOUDSDK_CONFIG", path("sdk-unused").toUtf8());
        const AdcEnvironment env = AdcEnvironment::fromProcess();
        qunsetenv("GOOGLE_APPLICATION_CREDENTIALS");
        qunsetenv("CLOUDSDK_CONFIG");
        QCOMPARE(QString::fromStdString(*env.googleApplicationCredentials), m_keyFile);
        QCOMPARE(QString::fromStdString(ApplicationDefaultCredentials::gcloudFilePath(env)),
                 path("sdk-unused/application_default_credentials.json"));
        QVERIFY(!env.home.empty());
        QVERIFY(!AdcEnvironment::fromProcess().googleApplicationCredentials);
    }

    void adcAuthorizedUserGivesAccessTokens()
    {
        QTemporaryDir sdk;
        QVERIFY(writeFile(sdk.filePath("application_default_credentials.json"), userJson(tokenUri())));
        AdcEnvironment env;
        env.cloudSdkConfig = sdk.path().toStdString();
        env.home = "/nonexistent";
        auto credentials = ApplicationDefaultCredentials::load(env);
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : c(credentials.error().toString()));
        QCOMPARE(credentials->kind(), GoogleCredentials::Kind::AuthorizedUser);
        auto source = GoogleTokenSource::forAccessToken(*credentials, transport());
        QVERIFY(source.ok());
        auto token = (*source)->token();
        QVERIFY2(token.ok(), token.ok() ? "" : c(token.error().toString()));
        QVERIFY(token->reveal().starts_with("ya29.a0loopback-"));
        // IAP wants an ID token for its client id: user credentials cannot make one.
        auto id = GoogleTokenSource::forIdToken(*credentials, transport(), "iap-client-id");
        QVERIFY(!id.ok());
        const std::string shown = id.error().toString();
        QVERIFY2(shown.find("gcloud auth print-identity-token --audiences=iap-client-id") !=
                     std::string::npos,
                 c(shown));
        QVERIFY(secretIn(shown).empty());
    }

    // --- the token source: caching, expiry, 401s, one fetch at a time ---

    void tokenSourceServesIdTokensFromAKey()
    {
        auto credentials = GoogleCredentials::fromFile(m_keyFile.toStdString());
        auto source =
            GoogleTokenSource::forIdToken(*credentials, transport(), "iap-client.apps.googleusercontent.com");
        QVERIFY(source.ok());
        const std::size_t before = requests().size();
        auto first = (*source)->token();
        QVERIFY2(first.ok(), first.ok() ? "" : c(first.error().toString()));
        QCOMPARE_JSON(jwtPart(first->reveal(), 1)["aud"], json("iap-client.apps.googleusercontent.com"));
        auto second = (*source)->token();
        QCOMPARE(second->reveal(), first->reveal());
        QCOMPARE(requests().size(), before + 1);
        QVERIFY((*source)->describe().find("ID token for iap-client") != std::string::npos);
    }

    void expiredTokenIsRefreshed()
    {
        // Tokens that live 3 s; refreshed 1 s before they expire. The
        // source's clock is moved by hand, so no test waits for time to pass.
        setExpiresIn(3);
        auto now = std::make_shared<Clock::time_point>(Clock::now());
        GoogleTokenSource::Options options;
        options.refreshMargin = std::chrono::seconds(1);
        options.now = [now] { return *now; };
        auto source = GoogleTokenSource::forAccessToken(*GoogleCredentials::fromFile(m_keyFile.toStdString()),
                                                        transport(), {kCloudPlatformScope}, options);
        QVERIFY(source.ok());
        const std::size_t before = requests().size();
        auto first = (*source)->token();
        QVERIFY(first.ok());
        const auto expiry = (*source)->expiry();
        QVERIFY(expiry.has_value());
        *now = *expiry - std::chrono::milliseconds(1500); // still more than the margin left
        QCOMPARE((*source)->token()->reveal(), first->reveal());
        QCOMPARE(requests().size(), before + 1);
        *now = *expiry - std::chrono::milliseconds(500); // within the margin
        auto second = (*source)->token();
        QVERIFY(second.ok());
        QVERIFY(second->reveal() != first->reveal());
        QCOMPARE(requests().size(), before + 2);
        QCOMPARE((*source)->fetchCount(), std::uint64_t(2));
    }

    void cachedUntilFiveMinutesBeforeExpiry_data()
    {
        QTest::addColumn<int>("lifetime"); // seconds the server grants
        QTest::addColumn<int>("elapsed");  // seconds later we ask again
        QTest::addColumn<bool>("refetched");
        QTest::newRow("an hour, 54 min later") << 3600 << 54 * 60 << false;
        QTest::newRow("an hour, 55 min 1 s later") << 3600 << 55 * 60 + 1 << true;
        QTest::newRow("an hour, expired") << 3600 << 3700 << true;
        // Shorter than twice the margin: reused for half its life.
        QTest::newRow("8 min, 3 min later") << 480 << 180 << false;
        QTest::newRow("8 min, 4 min 1 s later") << 480 << 241 << true;
    }

    void cachedUntilFiveMinutesBeforeExpiry()
    {
        QFETCH(int, lifetime);
        QFETCH(int, elapsed);
        QFETCH(bool, refetched);
        auto now = std::make_shared<Clock::time_point>(Clock::now());
        int fetches = 0;
        GoogleTokenSource::Options options; // the default 5-minute margin
        options.now = [now] { return *now; };
        GoogleTokenSource source(
            "fake",
            [&]() -> Result<GoogleToken> {
                GoogleToken token;
                token.value = Secret("token-" + std::to_string(++fetches));
                token.expiry = *now + std::chrono::seconds(lifetime);
                return token;
            },
            options);
        QCOMPARE(source.token()->reveal(), std::string("token-1"));
        *now += std::chrono::seconds(elapsed);
        QCOMPARE(source.token()->reveal(), std::string(refetched ? "token-2" : "token-1"));
        QCOMPARE(int(source.fetchCount()), refetched ? 2 : 1);
    }

    void assumedLifetimeForTokensWithoutExpiry()
    {
        auto now = std::make_shared<Clock::time_point>(Clock::now());
        int fetches = 0;
        GoogleTokenSource::Options options;
        options.now = [now] { return *now; };
        GoogleTokenSource source(
            "fake",
            [&]() -> Result<GoogleToken> {
                GoogleToken token;
                token.value = Secret(QStringLiteral("t%1").arg(++fetches).toStdString());
                token.expiryAssumed = true;
                return token;
            },
            options);
        QVERIFY(source.token().ok());
        QCOMPARE(*source.expiry(), *now + std::chrono::minutes(55));
        *now += std::chrono::minutes(49);
        QCOMPARE(source.token()->reveal(), std::string("t1"));
        *now += std::chrono::minutes(2); // 51 min: within 5 min of the assumed 55
        QCOMPARE(source.token()->reveal(), std::string("t2"));
    }

    void invalidateAfter401()
    {
        auto source = GoogleTokenSource::forAccessToken(*GoogleCredentials::fromFile(m_keyFile.toStdString()),
                                                        transport());
        QVERIFY(source.ok());
        const std::size_t before = requests().size();
        const Secret first = *(*source)->token();
        // The API server answered 401 to `first`: the next call fetches anew.
        (*source)->invalidate(first);
        QVERIFY(!(*source)->expiry());
        const Secret second = *(*source)->token();
        QVERIFY(second.reveal() != first.reveal());
        QCOMPARE(requests().size(), before + 2);
        // A late 401 for the old token (another thread's request) keeps the new one.
        (*source)->invalidate(first);
        QCOMPARE((*source)->token()->reveal(), second.reveal());
        QCOMPARE(requests().size(), before + 2);
        // Through the TokenProvider interface, as a backend's connection holds it.
        std::shared_ptr<TokenProvider> provider = *source;
        provider->invalidate();
        QVERIFY(provider->token()->reveal() != second.reveal());
        QCOMPARE(requests().size(), before + 3);
    }

    void oneFetchAtATime()
    {
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        std::atomic<int> running{0}, most{0}, fetches{0};
        GoogleTokenSource source("slow", [&]() -> Result<GoogleToken> {
            const int now = ++running;
            most = std::max(most.load(), now);
            ++fetches;
            released.wait(); // the fetch is slow until every caller is waiting
            --running;
            GoogleToken token;
            token.value = Secret("shared-token");
            token.expiry = Clock::now() + std::chrono::hours(1);
            return token;
        });
        std::atomic<int> good{0};
        onThreads(8, release, [&] {
            auto token = source.token();
            if (token.ok() && token->reveal() == "shared-token")
                ++good;
        });
        QCOMPARE(good.load(), 8);
        QCOMPARE(fetches.load(), 1);
        QCOMPARE(most.load(), 1);
    }

    void failedFetchIsSharedWithWaiters()
    {
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        std::atomic<int> fetches{0};
        GoogleTokenSource source("failing", [&]() -> Result<GoogleToken> {
            ++fetches;
            released.wait();
            return Error{"token endpoint down", {}};
        });
        std::atomic<int> failed{0};
        onThreads(6, release, [&] {
            auto token = source.token();
            if (!token.ok() && token.error().message == "token endpoint down")
                ++failed;
        });
        QCOMPARE(failed.load(), 6);
        QCOMPARE(fetches.load(), 1);   // the waiters took its answer instead of asking again
        QVERIFY(!source.token().ok()); // a later call tries again
        QCOMPARE(fetches.load(), 2);
    }

    void concurrentCallersShareOneGrant()
    {
        auto source = GoogleTokenSource::forAccessToken(*GoogleCredentials::fromFile(m_keyFile.toStdString()),
                                                        transport());
        QVERIFY(source.ok());
        const std::size_t before = requests().size();
        std::vector<std::thread> threads;
        std::vector<std::string> seen(6);
        for (int i = 0; i < 6; ++i)
            threads.emplace_back([&, i] {
                auto token = (*source)->token();
                seen[i] = token.ok() ? token->reveal() : "error";
            });
        for (auto &t : threads)
            t.join();
        QCOMPARE(requests().size(), before + 1);
        for (const auto &s : seen)
            QCOMPARE(s, seen[0]);
        QVERIFY(seen[0].starts_with("ya29."));
    }

    // --- tokens from commands (gcloud) ---

    void commandGivesAccessToken()
    {
        const QString script = path("print-access-token.sh");
        QVERIFY(writeFile(script, "#!/bin/sh\necho ya29.from-gcloud-" + randomHex(4).toUtf8() + "\n"));
        QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        auto credentials = GoogleCredentials::fromTokenSource(
            {CredentialSource::Kind::Command, script.toStdString() + " --quiet"});
        QCOMPARE(credentials.kind(), GoogleCredentials::Kind::TokenSource);
        auto source = GoogleTokenSource::forAccessToken(credentials, transport());
        QVERIFY(source.ok());
        const auto before = Clock::now();
        auto token = (*source)->token();
        QVERIFY2(token.ok(), token.ok() ? "" : c(token.error().toString()));
        QVERIFY(token->reveal().starts_with("ya29.from-gcloud-"));
        // Expiry unknown: 55 minutes assumed.
        QVERIFY(*(*source)->expiry() >= before + std::chrono::minutes(55));
        QVERIFY(*(*source)->expiry() <= Clock::now() + std::chrono::minutes(55));
        QCOMPARE((*source)->token()->reveal(), token->reveal());
        QCOMPARE((*source)->fetchCount(), std::uint64_t(1));
    }

    void commandGivesIdToken()
    {
        // What `gcloud auth print-identity-token --audiences=AUD` prints: a JWT with aud and exp.
        const long long exp = std::chrono::duration_cast<std::chrono::seconds>(
                                  (Clock::now() + std::chrono::minutes(30)).time_since_epoch())
                                  .count();
        auto jwtFor = [&](const std::string &aud) {
            return base64UrlEncode(R"({"alg":"RS256","typ":"JWT"})") + "." +
                   base64UrlEncode(
                       json{{"aud", aud}, {"exp", exp}, {"iss", "https://accounts.google.com"}}.dump()) +
                   ".c2ln";
        };
        const QString good = path("idtoken-good.txt"), wrong = path("idtoken-wrong.txt");
        QVERIFY(writeFile(good, QByteArray::fromStdString(jwtFor("iap-client-id"))));
        QVERIFY(
            writeFile(wrong, QByteArray::fromStdString(jwtFor("32555940559.apps.googleusercontent.com"))));
        auto source =
            GoogleTokenSource::forIdToken(GoogleCredentials::fromTokenSource(
                                              {CredentialSource::Kind::Command, "cat " + good.toStdString()}),
                                          transport(), "iap-client-id");
        QVERIFY(source.ok());
        auto token = (*source)->token();
        QVERIFY2(token.ok(), token.ok() ? "" : c(token.error().toString()));
        QCOMPARE(
            std::chrono::duration_cast<std::chrono::seconds>((*source)->expiry()->time_since_epoch()).count(),
            exp);
        // gcloud without --audiences: an ID token IAP would refuse; say so now.
        auto wrongSource =
            GoogleTokenSource::forIdToken(GoogleCredentials::fromTokenSource({CredentialSource::Kind::Command,
                                                                              "cat " + wrong.toStdString()}),
                                          transport(), "iap-client-id");
        auto refused = (*wrongSource)->token();
        QVERIFY(!refused.ok());
        const std::string shown = refused.error().toString();
        QVERIFY2(shown.find("for audience 32555940559.apps.googleusercontent.com, not iap-client-id") !=
                     std::string::npos,
                 c(shown));
        QVERIFY2(shown.find("--audiences=iap-client-id") != std::string::npos, c(shown));
        QVERIFY(secretIn(shown).empty());
    }

    void failingCommandIsNamedNotQuoted()
    {
        // The token is assembled by the shell, so the command line itself does not hold it.
        const std::string command = "t=ya; t=${t}29.leaked-token; echo $t; echo \"ERROR: (gcloud.auth) "
                                    "reauthentication required $t\" >&2; "
                                    "exit 1";
        auto source = GoogleTokenSource::forAccessToken(
            GoogleCredentials::fromTokenSource({CredentialSource::Kind::Command, command}), transport());
        QVERIFY(source.ok());
        auto token = (*source)->token();
        QVERIFY(!token.ok());
        const std::string shown = token.error().toString();
        QVERIFY2(shown.find("command:t=ya;") != std::string::npos, c(shown)); // names the command
        QVERIFY2(shown.find("reauthentication required [redacted]") != std::string::npos, c(shown));
        QVERIFY2(shown.find("exit code 1") != std::string::npos, c(shown));
        QVERIFY2(secretIn(shown).empty(), c(shown));
    }
};

QTEST_GUILESS_MAIN(TestGoogleAuth)
#include "tst_googleauth.moc"
