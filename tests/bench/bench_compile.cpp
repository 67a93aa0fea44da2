// SPDX-License-Identifier: Apache-2.0
// Generates pipelines of 100, 1,000 and 10,000 tasks and times load,
// validate and compile for each target. Prints a Markdown table.
//   bench_compile [sizes...] [--repeat N]
#include "benchpipeline.h"
#include "compiler/lower.h"
#include "formats/document.h"
#include "ir/pipelinespecio.h"
#include "targets/argowriter.h"
#include "targets/argoyaml.h"
#include "targets/vertexwriter.h"
#include "validate/validator.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
double timeMs(int repeat, F &&f)
{
    double best = 1e300;
    for (int r = 0; r < repeat; ++r) {
        const auto start = Clock::now();
        f();
        best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    return best;
}

void fail(const std::string &what, const pw::Error &e)
{
    std::fprintf(stderr, "%s failed: %s\n", what.c_str(), e.toString().c_str());
    std::exit(1);
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<int> sizes;
    int repeat = 3;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--repeat" && i + 1 < argc)
            repeat = std::atoi(argv[++i]);
        else
            sizes.push_back(std::atoi(argv[i]));
    }
    if (sizes.empty())
        sizes = {100, 1000, 10000};

    std::printf("| tasks | doc size | load | validate | lower to IR | PipelineSpec YAML | Argo YAML | Vertex JSON |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int n : sizes) {
        const std::string doc = pw::writeDocument(pw::bench::generateBenchPipeline(n));
        pw::Pipeline loaded;
        const double load = timeMs(repeat, [&] {
            auto r = pw::readDocument(doc, "bench.pipewright.yaml");
            if (!r.ok())
                fail("load", r.error());
            loaded = std::move(*r);
        });
        const double validate = timeMs(repeat, [&] {
            auto problems = pw::validatePipeline(loaded);
            if (pw::hasErrors(problems))
                fail("validate", pw::Error{problems.front().toString(), {}});
        });
        pw::ir::PipelineSpec spec;
        const double lower = timeMs(repeat, [&] {
            auto r = pw::lowerPipeline(loaded);
            if (!r.ok())
                fail("lower", r.error());
            spec = std::move(*r);
        });
        std::size_t bytes = 0;
        const double specYaml = timeMs(repeat, [&] { bytes = pw::ir::writePipelineSpecYaml(spec).size(); });
        const double argo = timeMs(repeat, [&] {
            auto wf = pw::argoWorkflow(spec);
            if (!wf.ok())
                fail("argo", wf.error());
            bytes += pw::argoWorkflowYaml(*wf).size();
        });
        const double vertex = timeMs(repeat, [&] {
            auto job = pw::vertexPipelineJob(spec);
            if (!job.ok())
                fail("vertex", job.error());
            bytes += job->dump().size();
        });
        std::printf("| %d | %.1f MB | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms |\n", n,
                    double(doc.size()) / 1e6, load, validate, lower, specYaml, argo, vertex);
        std::fflush(stdout);
    }
    return 0;
}
