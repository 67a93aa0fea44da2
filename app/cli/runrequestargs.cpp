// SPDX-License-Identifier: Apache-2.0
#include "runrequestargs.h"

#include "clioutput.h"
#include "compiler/parametervalues.h"
#include "formats/pipelineloader.h"
#include "problemlist.h"

#include <filesystem>
#include <iostream>

namespace pw::cli {

std::variant<RunRequest, int> requestFromFile(const std::string &file, const std::vector<std::string> &params,
                                              RunSettings settings)
{
    settings.typedIn = std::filesystem::current_path().string();
    auto pipeline = loadPipelineFile(file);
    if (!pipeline.ok())
        return fail(pipeline.error(), file);
    auto assignments = parseAssignments(params);
    if (!assignments.ok())
        return usageError(assignments.error().message);
    settings.parameters = *assignments;
    std::vector<Problem> problems;
    auto request = RunService::prepare(*pipeline, settings, &problems);
    if (request.ok())
        return std::move(request).value();
    if (problems.empty())
        return fail(request.error(), file);
    printProblems(problems, file);
    return 1;
}

} // namespace pw::cli
