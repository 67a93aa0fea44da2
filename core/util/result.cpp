// SPDX-License-Identifier: Apache-2.0
#include "util/result.h"

namespace pw {

std::string Location::toString() const
{
    std::string out = file;
    // A column without a line means nothing to an editor, so it goes with it.
    if (line > 0) {
        if (!out.empty())
            out += ':';
        out += std::to_string(line);
        if (column > 0)
            out += ':' + std::to_string(column);
    }
    return out;
}

std::string Error::toString() const
{
    std::string out = where.toString();
    out += out.empty() ? "error: " : ": error: ";
    out += message;

    std::string context;
    if (!where.task.empty())
        context = "task: " + where.task;
    if (!where.field.empty())
        context += (context.empty() ? "" : ", ") + std::string("field: ") + where.field;
    if (!context.empty())
        out += " (" + context + ')';
    return out;
}

} // namespace pw
