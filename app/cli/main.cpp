// SPDX-License-Identifier: Apache-2.0
#include "commands.h"

#include <cstring>
#include <iostream>

namespace {

const char *kUsage = R"(usage: pipewright COMMAND [ARGS]

Commands:
  validate FILE...                   check pipelines; FILE:LINE:COL: severity: message
  compile FILE --target pipelinespec|argo|vertex [-o OUT] [--param NAME=VALUE]...
  import FILE [-o OUT.pipewright.yaml]
  --version                          print the version

FILE is a *.pipewright.yaml document, a KFP v1 component.yaml, or a KFP
PipelineSpec YAML (a v2 pipeline or component). Exit codes: 0 ok, 1 invalid
input or failure, 2 usage error.
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
    std::cerr << "pipewright: unknown command '" << cmd << "'\n" << kUsage;
    return 2;
}
