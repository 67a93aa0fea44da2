// SPDX-License-Identifier: Apache-2.0
#include "compiler/preparespec.h"

#include "compiler/parametervalues.h"
#include "validate/validator.h"

namespace pw {

Result<ir::PipelineSpec> prepareSpec(Pipeline &pipeline, const std::map<std::string, std::string> &values,
                                     const LowerOptions &options, std::vector<Problem> &problems)
{
    if (auto applied = applyParameterValues(pipeline, values); !applied.ok())
        return applied.error();
    std::string errors;
    for (Problem p : validatePipeline(pipeline)) {
        if (p.where.file.empty())
            p.where.file = pipeline.fileName;
        if (p.severity == Problem::Severity::Error) {
            if (!errors.empty())
                errors += '\n';
            errors += p.toString();
        }
        problems.push_back(std::move(p));
    }
    if (!errors.empty())
        return Error{errors, {}};
    return lowerPipeline(pipeline, options);
}

} // namespace pw
