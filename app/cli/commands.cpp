// SPDX-License-Identifier: Apache-2.0
#include "commands.h"

#include "cliargs.h"
#include "clioutput.h"
#include "compiler/lower.h"
#include "compiler/parametervalues.h"
#include "formats/document.h"
#include "formats/pipelineloader.h"
#include "problemlist.h"
#include "targets/compiletarget.h"
#include "util/filewrite.h"
#include "validate/validator.h"

#include <iostream>

namespace pw::cli {

namespace {

// "-" or no path: stdout; anything else is written so that an interrupted
// write never leaves a truncated file where a good one was.
bool writeOutput(const std::optional<std::string> &path, const std::string &text)
{
    if (!path || *path == "-") {
        std::cout << text;
        return static_cast<bool>(std::cout);
    }
    if (auto written = writeFileAtomically(*path, text); !written.ok()) {
        std::cerr << written.error().toString() << "\n";
        return false;
    }
    return true;
}

} // namespace

int validateCommand(int argc, char **argv)
{
    Args args(argc, argv, 2, {}, {"--quiet", "--all"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().empty())
        return usageError("validate needs at least one FILE");
    bool allValid = true;
    for (const std::string &file : args.positionals()) {
        auto pipeline = loadPipelineFile(file);
        if (!pipeline.ok()) {
            printLocated(pipeline.error(), file);
            allValid = false;
            continue;
        }
        bool valid = printProblems(validatePipeline(*pipeline), file, args.flag("--all"));
        if (valid) {
            // The compiler catches what only shows when lowering (e.g. bad group nesting).
            auto spec = lowerPipeline(*pipeline);
            if (!spec.ok()) {
                printLocated(spec.error(), file);
                valid = false;
            }
        }
        if (valid && !args.flag("--quiet"))
            std::cout << file << ": ok\n";
        allValid = allValid && valid;
    }
    return allValid ? 0 : 1;
}

int compileCommand(int argc, char **argv)
{
    Args args(argc, argv, 2, {"--target", "-o", "--output", "--param", "--service-account", "--output-dir"}, {});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("compile takes exactly one FILE");
    const std::string file = args.positionals().front();
    const std::string target = args.value("--target").value_or("pipelinespec");
    if (target != "pipelinespec" && target != "argo" && target != "vertex")
        return usageError("unknown target '" + target + "' (pipelinespec, argo or vertex)");
    auto output = args.value("-o");
    if (!output)
        output = args.value("--output");

    auto pipeline = loadPipelineFile(file);
    if (!pipeline.ok()) {
        printLocated(pipeline.error(), file);
        return 1;
    }
    auto assignments = parseAssignments(args.values("--param"));
    if (!assignments.ok())
        return usageError(assignments.error().message);
    CompileOptions options;
    options.parameters = *assignments;
    options.serviceAccount = args.value("--service-account");
    options.outputDir = args.value("--output-dir");
    std::vector<Problem> problems;
    auto text = compileToText(*pipeline, target == "argo"     ? CompileTarget::Argo
                                         : target == "vertex" ? CompileTarget::Vertex
                                                              : CompileTarget::PipelineSpec,
                              options, &problems);
    const bool reported = !printProblems(problems, file);
    if (!text.ok()) {
        if (!reported) // validation errors were printed as problems already
            printLocated(text.error(), file);
        return 1;
    }
    return writeOutput(output, *text) ? 0 : 1;
}

int importCommand(int argc, char **argv)
{
    Args args(argc, argv, 2, {"-o", "--output"}, {});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("import takes exactly one FILE");
    const std::string file = args.positionals().front();
    auto pipeline = loadPipelineFile(file);
    if (!pipeline.ok()) {
        printLocated(pipeline.error(), file);
        return 1;
    }
    auto output = args.value("-o");
    if (!output)
        output = args.value("--output");
    return writeOutput(output, writeDocument(*pipeline)) ? 0 : 1;
}

} // namespace pw::cli
