// SPDX-License-Identifier: Apache-2.0
#include "commands.h"
#include "runcommands.h"

#include <cstring>
#include <iostream>

namespace {

const char *kUsage = R"(usage: pipewright COMMAND [ARGS]

Commands:
  validate FILE...                   check pipelines; FILE:LINE:COL: severity: message
  compile FILE --target pipelinespec|argo|vertex [-o OUT] [--param NAME=VALUE]...
  import FILE [-o OUT.pipewright.yaml]
  run FILE [--param NAME=VALUE]... [--parallelism N] [--no-cache]
           [--runtime process|docker|podman] [--name NAME] [--logs]
                                     run on this machine; exit 0 only if the run succeeded
  runs [--json]                      list local runs, newest first
  show RUN_ID [--json] [--html FILE] tasks with states, times, outputs and metrics
  logs RUN_ID [TASK] [--follow]      task output, timestamped
  resume RUN_ID                      rerun what did not finish (interrupted, failed, cancelled)
  cancel RUN_ID [--no-wait]          stop a run in progress
  --version                          print the version

FILE is a *.pipewright.yaml document, a KFP v1 component.yaml, or a KFP
PipelineSpec YAML (a v2 pipeline or component). Exit codes: 0 ok, 1 invalid
input or failure, 2 usage error. RUN_ID may be any unique prefix of a run's id.
Local runs live in $XDG_DATA_HOME/pipewright (default ~/.local/share/pipewright).
)";

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::cerr << kUsage;
        return 2;
    }
    const char *cmd = argv[1];
    if (!std::strcmp(cmd, "--version") || !std::strcmp(cmd, "version")) {
        std::cout << "pipewright " << PW_VERSION << "\n";
        return 0;
    }
    if (!std::strcmp(cmd, "--help") || !std::strcmp(cmd, "-h") || !std::strcmp(cmd, "help")) {
        std::cout << kUsage;
        return 0;
    }
    if (!std::strcmp(cmd, "validate"))
        return pw::cli::validateCommand(argc, argv);
    if (!std::strcmp(cmd, "compile"))
        return pw::cli::compileCommand(argc, argv);
    if (!std::strcmp(cmd, "import"))
        return pw::cli::importCommand(argc, argv);
    if (!std::strcmp(cmd, "run"))
        return pw::cli::runCommand(argc, argv);
    if (!std::strcmp(cmd, "runs"))
        return pw::cli::runsCommand(argc, argv);
    if (!std::strcmp(cmd, "show"))
        return pw::cli::showCommand(argc, argv);
    if (!std::strcmp(cmd, "logs"))
        return pw::cli::logsCommand(argc, argv);
    if (!std::strcmp(cmd, "resume"))
        return pw::cli::resumeCommand(argc, argv);
    if (!std::strcmp(cmd, "cancel"))
        return pw::cli::cancelCommand(argc, argv);
    std::cerr << "pipewright: unknown command '" << cmd << "'\n" << kUsage;
    return 2;
}
