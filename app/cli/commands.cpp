// SPDX-License-Identifier: Apache-2.0
#include "commands.h"

#include "cliargs.h"
#include "compiler/lower.h"
#include "compiler/parametervalues.h"
#include "formats/document.h"
#include "formats/pipelineloader.h"
#include "ir/pipelinespecio.h"
#include "targets/argowriter.h"
#include "targets/argoyaml.h"
#include "targets/vertexwriter.h"
#include "validate/validator.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace pw::cli {

namespace {

int usageError(const std::string &message)
{
    std::cerr << "pipewright: " << message << " (see pipewright --help)\n";
    return 2;
}

void printError(const Error &e, const std::string &file)
{
    Error located = e;
    if (located.where.file.empty())
        located.where.file = file;
    std::cerr << located.toString() << "\n";
}

// Written beside the target and renamed over it, so an interrupted write
// never leaves a truncated file where a good one was.
bool writeOutput(const std::optional<std::string> &path, const std::string &text)
{
    if (!path || *path == "-") {
        std::cout << text;
        return static_cast<bool>(std::cout);
    }
    const std::string tmp = *path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out) {
            std::cerr << *path << ": error: cannot write the file\n";
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, *path, ec);
    if (ec) {
        std::cerr << *path << ": error: " << ec.message() << "\n";
        std::filesystem::remove(tmp, ec);
        return false;
    }
    return true;
}

// Prints problems; true when none is an error.
bool report(const std::vector<Problem> &problems, const std::string &file)
{
    for (Problem p : problems) {
        if (p.where.file.empty())
            p.where.file = file;
        std::cerr << p.toString() << "\n";
    }
    return !hasErrors(problems);
}

} // namespace

int validateCommand(int argc, char **argv)
{
    Args args(argc, argv, 2, {}, {"--quiet"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().empty())
        return usageError("validate needs at least one FILE");
    bool allValid = true;
    for (const std::string &file : args.positionals()) {
        auto pipeline = loadPipelineFile(file);
        if (!pipeline.ok()) {
            printError(pipeline.error(), file);
            allValid = false;
            continue;
        }
        bool valid = report(validatePipeline(*pipeline), file);
        if (valid) {
            // The compiler catches what only shows when lowering (e.g. bad group nesting).
            auto spec = lowerPipeline(*pipeline);
            if (!spec.ok()) {
                printError(spec.error(), file);
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
        printError(pipeline.error(), file);
        return 1;
    }
    auto assignments = parseAssignments(args.values("--param"));
    if (!assignments.ok())
        return usageError(assignments.error().message);
    if (auto applied = applyParameterValues(*pipeline, *assignments); !applied.ok()) {
        printError(applied.error(), file);
        return 1;
    }
    if (!report(validatePipeline(*pipeline), file))
        return 1;

    LowerOptions options;
    options.nativeRunTimeFormatting = target == "argo";
    auto spec = lowerPipeline(*pipeline, options);
    if (!spec.ok()) {
        printError(spec.error(), file);
        return 1;
    }

    std::string text;
    if (target == "pipelinespec") {
        text = ir::writePipelineSpecYaml(*spec);
    } else if (target == "argo") {
        ArgoOptions argo;
        // A Google service-account e-mail (Vertex) is not a Kubernetes name; keep Argo's default then.
        if (!pipeline->serviceAccount.empty() && pipeline->serviceAccount.find('@') == std::string::npos)
            argo.serviceAccount = pipeline->serviceAccount;
        if (auto sa = args.value("--service-account"))
            argo.serviceAccount = *sa;
        argo.parameterValues = *assignments;
        auto wf = argoWorkflow(*spec, argo);
        if (!wf.ok()) {
            printError(wf.error(), file);
            return 1;
        }
        text = argoWorkflowYaml(*wf);
    } else {
        VertexOptions vertex;
        vertex.displayName = pipeline->displayName;
        vertex.serviceAccount = args.value("--service-account").value_or(pipeline->serviceAccount);
        vertex.labels = pipeline->labels;
        vertex.parameterValues = *assignments;
        vertex.gcsOutputDirectory = args.value("--output-dir").value_or(pipeline->pipelineRoot);
        auto job = vertexPipelineJob(*spec, vertex);
        if (!job.ok()) {
            printError(job.error(), file);
            return 1;
        }
        text = job->dump(2) + "\n";
    }
    return writeOutput(output, text) ? 0 : 1;
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
        printError(pipeline.error(), file);
        return 1;
    }
    auto output = args.value("-o");
    if (!output)
        output = args.value("--output");
    return writeOutput(output, writeDocument(*pipeline)) ? 0 : 1;
}

} // namespace pw::cli
