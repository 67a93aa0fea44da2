// SPDX-License-Identifier: Apache-2.0
#include "clioutput.h"

#include <iostream>

namespace pw::cli {

int usageError(const std::string &message)
{
    std::cerr << "pipewright: " << message << " (see pipewright --help)\n";
    return 2;
}

int fail(const Error &e, const std::string &file)
{
    Error located = e;
    if (located.where.file.empty())
        located.where.file = file;
    std::cerr << (located.where.file.empty() && located.where.line == 0 ? "pipewright: error: " + e.message
                                                                        : located.toString())
              << "\n";
    return 1;
}

void printLocated(const Error &e, const std::string &file)
{
    Error located = e;
    if (located.where.file.empty())
        located.where.file = file;
    std::cerr << located.toString() << "\n";
}

} // namespace pw::cli
