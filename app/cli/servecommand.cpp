// SPDX-License-Identifier: Apache-2.0
#include "servecommand.h"

#include "cliargs.h"
#include "clicontext.h"
#include "clioutput.h"
#include "signalbridge.h"

#include "apiservice.h"
#include "httpserver.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRandomGenerator>

#include <csignal>
#include <cstdlib>
#include <iostream>

namespace pw::cli {

namespace {

struct ListenAddress {
    QHostAddress host;
    QString hostText;
    quint16 port = 0;
};

std::optional<ListenAddress> parseListen(const std::string &text)
{
    const auto colon = text.rfind(':');
    if (colon == std::string::npos)
        return std::nullopt;
    QString host = QString::fromStdString(text.substr(0, colon));
    if (host.startsWith('[') && host.endsWith(']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = QString::fromStdString(text.substr(colon + 1)).toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    QHostAddress address(host == "localhost" ? QStringLiteral("127.0.0.1") : host);
    if (address.isNull())
        return std::nullopt;
    return ListenAddress{address, host.contains(':') ? '[' + host + ']' : host, static_cast<quint16>(port)};
}

// 32 random bytes from the system's generator, URL-safe.
std::string newToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals).toStdString();
}

// The token from --token-env or --token-file; "" when neither was given.
std::variant<std::string, int> givenToken(const Args &args)
{
    const auto env = args.value("--token-env");
    const auto file = args.value("--token-file");
    if (env && file)
        return usageError("give --token-env or --token-file, not both");
    if (env) {
        const char *value = std::getenv(env->c_str());
        if (!value || !*value)
            return usageError("--token-env: the environment variable " + *env + " is not set");
        return std::string(value);
    }
    if (file) {
        QFile f(QString::fromStdString(*file));
        if (!f.open(QIODevice::ReadOnly))
            return usageError("--token-file: cannot read " + *file);
        const std::string token = f.readAll().trimmed().toStdString();
        if (token.empty())
            return usageError("--token-file: " + *file + " is empty");
        return token;
    }
    return std::string();
}

} // namespace

int serveCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2,
              {"--listen", "--pipelines", "--backend", "--token-env", "--token-file", "--cors-origin",
               "--max-streams"},
              {});
    if (!args.ok())
        return usageError(args.error());
    if (!args.positionals().empty())
        return usageError("serve takes no arguments");
    const auto listen = parseListen(args.value("--listen").value_or("127.0.0.1:8765"));
    if (!listen)
        return usageError("--listen takes HOST:PORT, e.g. 127.0.0.1:8765");
    auto token = givenToken(args);
    if (auto *code = std::get_if<int>(&token))
        return *code;
    serve::ServeOptions options;
    options.token = std::get<std::string>(token);
    const bool generated = options.token.empty();
    if (generated && !listen->host.isLoopback())
        return usageError("serving on " + listen->hostText.toStdString() +
                          " needs a token you chose: --token-env VAR or --token-file PATH");
    if (generated)
        options.token = newToken();
    if (auto n = args.value("--max-streams")) {
        options.maxStreams = QString::fromStdString(*n).toInt();
        if (options.maxStreams < 1)
            return usageError("--max-streams needs a positive number");
    }
    options.corsOrigins = args.values("--cors-origin");
    std::vector<std::string> dirs = args.values("--pipelines");
    for (const std::string &d : dirs)
        if (!QFileInfo(QString::fromStdString(d)).isDir())
            return usageError("--pipelines: " + d + " is not a folder");
    if (dirs.empty())
        std::cerr << "pipewright: warning: no --pipelines folder given; no pipelines are offered\n";
    auto registry = cx.registry();
    if (!registry.ok())
        return fail(registry.error());
    options.backends = args.values("--backend");
    for (const std::string &b : options.backends)
        if (!(*registry)->config(b))
            return usageError("--backend: no backend named '" + b + "' (see pipewright backend list)");

    serve::ApiService api(options, **registry, serve::PipelineCatalog(dirs));
    serve::HttpServer server({}, [&api](serve::HttpExchange *e) { api.handle(e); });
    if (!server.listen(listen->host, listen->port))
        return fail(Error{"cannot listen on " + listen->hostText.toStdString() + ":" +
                              std::to_string(listen->port) + ": " + server.errorString().toStdString(),
                          {}});
    signal(SIGPIPE, SIG_IGN);
    const std::string base = "http://" + listen->hostText.toStdString() + ":" + std::to_string(server.port());
    std::cout << "pipewright serve: listening on " << base << "\n";
    if (generated) // the one place the token is shown
        std::cout << "open " << base << "/#token=" << options.token << "\n";
    std::cout << std::flush;
    SignalBridge bridge([] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    std::cout << "pipewright serve: stopped\n";
    return 0;
}

} // namespace pw::cli
