// SPDX-License-Identifier: Apache-2.0
#include "backendcommands.h"
#include "catalogcommands.h"
#include "clicontext.h"
#include "commands.h"
#include "runcommands.h"
#include "servecommand.h"
#include "terminalfilter.h"

#include <QCoreApplication>

#include <functional>
#include <iostream>
#include <string>

namespace {

const char *kUsage = R"(usage: pipewright COMMAND [ARGS]

Commands:
  validate FILE... [--all] [--quiet] check pipelines; FILE:LINE:COL: severity: message
                                     (--all: every problem, not 5 of each kind)
  compile FILE --target pipelinespec|argo|vertex [-o OUT] [--param NAME=VALUE]...
  import FILE [-o OUT.pipewright.yaml]
  run FILE [--param NAME=VALUE]... [--parallelism N] [--no-cache]
           [--runtime process|docker|podman] [--name NAME] [--logs]
                                     run on this machine; exit 0 only if the run succeeded
  runs [--json] [--state S] [--limit N] [--experiment NAME] [--archived]
                                     list runs, newest first
  show RUN_ID [--json] [--html FILE] tasks with states, times, outputs and metrics
  logs RUN_ID [TASK] [--follow]      task output, timestamped
  resume RUN_ID                      rerun what did not finish (interrupted, failed, cancelled)
  rerun RUN_ID [--wait [--logs]]     a new run with the same pipeline and parameters
  cancel RUN_ID [--no-wait]          stop a run in progress
  serve [--listen HOST:PORT] [--pipelines DIR]... [--backend NAME]...
        [--token-env VAR | --token-file PATH] [--cors-origin ORIGIN]... [--max-streams N]
                                     the REST API and web view (default 127.0.0.1:8765)
  --version                          print the version

Backends (KFP, Argo, Vertex; configured in $XDG_CONFIG_HOME/pipewright/backends.yaml):
  backend add NAME --kind KIND [--url URL] [--namespace NS] [--api v1|v2]
              [--token-env VAR | --token-file PATH | --token-command CMD | --token-keyring ENTRY]
              [--iap-client-id ID] [--google-credentials FILE] [--ca-file PEM] [--set KEY=VALUE]...
              vertex: --project ID --location REGION [--output-dir gs://...] [--service-account SA]
  backend list [--json] | backend remove NAME | backend test NAME
  submit FILE --backend NAME [--experiment NAME] [--param NAME=VALUE]... [--name RUN]
              [--service-account SA] [--pipeline-root URI] [--no-cache] [--pipeline NAME [--version V]]
              [--wait [--logs]]
  schedule FILE --backend NAME (--cron EXPR [--time-zone TZ] | --interval SECONDS)
              [--max-concurrency N] [--experiment NAME] [--name NAME] [--no-catchup]
              [--start TIME] [--end TIME] [--param NAME=VALUE]...
  schedules --backend NAME [--json] | schedules enable|disable ID --backend NAME
  unschedule ID --backend NAME
  experiments --backend NAME [--json] [--all] | experiments archive NAME|ID --backend NAME
  pipelines --backend NAME [--json]  uploaded pipelines and their versions, newest first
  archive RUN_ID --backend NAME      hide a run from lists; it stays on the server
  delete RUN_ID --backend NAME       remove a run from the server for good
runs, show, logs, cancel, resume and rerun take --backend NAME too (default: local,
the engine on this machine). A credential is named by where it comes from;
it is never stored or printed.

FILE is a *.pipewright.yaml document, a KFP v1 component.yaml, or a KFP
PipelineSpec YAML (a v2 pipeline or component). Exit codes: 0 ok, 1 invalid
input or failure, 2 usage error. RUN_ID may be any unique prefix of a run's id.
Local runs live in $XDG_DATA_HOME/pipewright (default ~/.local/share/pipewright).
)";

struct Command {
    const char *name;
    std::function<int(pw::cli::CliContext &, int, char **)> run;
};

// Commands that only read files do not need the backends.
template <int (*F)(int, char **)> int plain(pw::cli::CliContext &, int argc, char **argv)
{
    return F(argc, argv);
}

const Command kCommands[] = {
    {"validate", plain<pw::cli::validateCommand>},
    {"compile", plain<pw::cli::compileCommand>},
    {"import", plain<pw::cli::importCommand>},
    {"run", pw::cli::runCommand},
    {"runs", pw::cli::runsCommand},
    {"show", pw::cli::showCommand},
    {"logs", pw::cli::logsCommand},
    {"resume", pw::cli::resumeCommand},
    {"cancel", pw::cli::cancelCommand},
    {"rerun", pw::cli::rerunCommand},
    {"backend", pw::cli::backendCommand},
    {"submit", pw::cli::submitCommand},
    {"schedule", pw::cli::scheduleCommand},
    {"schedules", pw::cli::schedulesCommand},
    {"unschedule", pw::cli::unscheduleCommand},
    {"experiments", pw::cli::experimentsCommand},
    {"pipelines", pw::cli::pipelinesCommand},
    {"archive", pw::cli::archiveCommand},
    {"delete", pw::cli::deleteCommand},
    {"serve", pw::cli::serveCommand},
};

} // namespace

int main(int argc, char **argv)
{
    pw::cli::neutraliseTerminalControls();
    if (argc < 2) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string cmd = argv[1];
    if (cmd == "--version" || cmd == "version") {
        std::cout << "pipewright " << PW_VERSION << "\n";
        return 0;
    }
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        std::cout << kUsage;
        return 0;
    }
    // An event loop for network replies, plugins and run events.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pipewright"));
    for (const Command &c : kCommands) {
        if (cmd == c.name) {
            pw::cli::CliContext context;
            return c.run(context, argc, argv);
        }
    }
    std::cerr << "pipewright: unknown command '" << cmd << "'\n" << kUsage;
    return 2;
}
