// SPDX-License-Identifier: Apache-2.0
// The Pipewright document reader: any bytes give a pipeline or a located
// error; a pipeline it reads is written and read back.
#include "fuzzinput.h"

#include "formats/document.h"

PW_FUZZ_TARGET
{
    auto pipeline = pw::readDocument(fuzzText(data, size), "fuzz.pipewright.yaml");
    if (!pipeline.ok())
        return 0;
    const std::string written = pw::writeDocument(*pipeline);
    auto again = pw::readDocument(written, "written.pipewright.yaml");
    if (!again.ok())
        std::fprintf(stderr, "%s\n--- written:\n%s\n", again.error().toString().c_str(), written.c_str());
    PW_FUZZ_CHECK(again.ok());
    return 0;
}
