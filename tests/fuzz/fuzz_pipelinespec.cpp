// SPDX-License-Identifier: Apache-2.0
// The PipelineSpec (KFP IR) reader; what it reads, the writer writes and the
// reader takes again.
#include "fuzzinput.h"

#include "ir/pipelinespecio.h"

PW_FUZZ_TARGET
{
    auto spec = pw::ir::readPipelineSpec(fuzzText(data, size), "fuzz.yaml");
    if (!spec.ok())
        return 0;
    const std::string written = pw::ir::writePipelineSpecYaml(*spec);
    auto again = pw::ir::readPipelineSpec(written, "written.yaml");
    if (!again.ok())
        std::fprintf(stderr, "%s\n--- written:\n%s\n", again.error().toString().c_str(), written.c_str());
    PW_FUZZ_CHECK(again.ok());
    return 0;
}
