// SPDX-License-Identifier: Apache-2.0
#include "benchpipeline.h"

namespace pw::bench {

pw::Component makeBenchComponent(int variant)
{
    pw::Component c;
    c.name = "Step " + std::to_string(variant);
    c.description = "Generated benchmark step";
    c.inputs = {pw::PortSpec{"data", pw::PortType::artifact("system.Dataset"), "", std::nullopt, true},
                pw::PortSpec{"threshold", pw::PortType::param(pw::ParameterType::Double), "", 0.5, true},
                pw::PortSpec{"label", pw::PortType::param(pw::ParameterType::String), "", std::nullopt, true}};
    c.outputs = {pw::PortSpec{"out", pw::PortType::artifact("system.Dataset"), "", std::nullopt, false},
                 pw::PortSpec{"score", pw::PortType::param(pw::ParameterType::Double), "", std::nullopt, false}};
    c.container.image = "python:3.11-slim";
    using K = pw::CommandArg::Kind;
    c.container.command = {pw::CommandArg::literal("python3"), pw::CommandArg::literal("-c"),
                           pw::CommandArg::literal("import sys; print(sys.argv)")};
    pw::CommandArg data; // the first layer has no upstream data
    data.kind = K::IfPresent;
    data.name = "data";
    data.thenArgs = {pw::CommandArg::literal("--data"), pw::CommandArg::ref(K::InputPath, "data")};
    c.container.args = {data, pw::CommandArg::literal("--threshold"), pw::CommandArg::ref(K::InputValue, "threshold"),
                        pw::CommandArg::literal("--out"), pw::CommandArg::ref(K::OutputPath, "out"),
                        pw::CommandArg::literal("--score"), pw::CommandArg::ref(K::OutputPath, "score")};
    return c;
}

pw::Pipeline generateBenchPipeline(int tasks, bool withLayout)
{
    pw::Pipeline p;
    p.name = "bench-" + std::to_string(tasks);
    p.pipelineRoot = "gs://bench-bucket/root";
    p.inputs = {pw::PortSpec{"label", pw::PortType::param(pw::ParameterType::String), "", "bench", true}};
    for (int v = 0; v < 4; ++v)
        p.components["step-" + std::to_string(v)] = makeBenchComponent(v);
    const int width = 10;
    for (int i = 0; i < tasks; ++i) {
        pw::Task t;
        t.id = "task-" + std::to_string(i);
        t.component = "step-" + std::to_string(i % 4);
        t.arguments["label"] = pw::Binding::parameter("label");
        if (i >= width) {
            const int layer = i / width;
            const int prev = (layer - 1) * width;
            t.arguments["data"] = pw::Binding::taskOutput("task-" + std::to_string(prev + i % width), "out");
            t.arguments["threshold"] =
                pw::Binding::taskOutput("task-" + std::to_string(prev + (i + 1) % width), "score");
        }
        t.settings.resources.cpuRequest = "500m";
        t.settings.resources.memoryLimit = "2Gi";
        if (withLayout)
            p.layout.tasks[t.id] = {double(i % width) * 220, double(i / width) * 120};
        p.root.tasks.push_back(std::move(t));
    }
    return p;
}

} // namespace pw::bench
