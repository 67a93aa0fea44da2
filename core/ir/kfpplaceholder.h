// SPDX-License-Identifier: Apache-2.0
#pragma once

// One `{{$...}}` placeholder of the KFP IR, as a value: what it refers to and
// how it was spelled. Everything that reads or writes placeholders (model
// conversion, the Argo writer, the local engine, the compiler's run values)
// goes through this type, so they all accept the same forms.

#include "util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace pw::ir {

// A quoted name or argument: 'x' or "x". The quote, and the spaces that the
// run_time arguments may carry around it, are kept so that a placeholder
// prints back exactly as it was written.
struct KfpQuoted {
    std::string value;
    char quote = '\'';
    std::string spaceBefore; // run_time arguments only
    std::string spaceAfter;  // run_time arguments only

    bool operator==(const KfpQuoted &) const = default;
};

struct KfpPlaceholder {
    enum class Kind {
        ExecutorInput,   // {{$}}
        InputParameter,  // {{$.inputs.parameters['x']}}
        InputArtifact,   // {{$.inputs.artifacts['x']}} (the list) and .path .uri .metadata .metadata['k']
        OutputParameter, // {{$.outputs.parameters['y'].output_file}}
        OutputArtifact,  // {{$.outputs.artifacts['y'].path|uri|metadata}}
        JobName,         // {{$.pipeline_job_name}}
        JobResourceName, // {{$.pipeline_job_resource_name}}
        JobUuid,         // {{$.pipeline_job_uuid}}
        JobCreateTime,   // {{$.pipeline_job_create_time_utc}}
        JobScheduleTime, // {{$.pipeline_job_schedule_time_utc}}
        TaskName,        // {{$.pipeline_task_name}}
        TaskUuid,        // {{$.pipeline_task_uuid}}
        PipelineRoot,    // {{$.pipeline_root}}
        // Pipewright's extensions for formatted run times, which KFP lacks:
        // {{$.pipewright.run_time['<strftime>','<zone>']}} (the zone may be left out).
        RunTime,
        ScheduleTime, // {{$.pipewright.schedule_time['<strftime>','<zone>']}}
    };
    // What of a port the placeholder means; None is the whole artifact list.
    enum class Field { None, Path, Uri, Metadata, MetadataKey, OutputFile };

    Kind kind = Kind::ExecutorInput;
    KfpQuoted name;                   // the port, for the input and output kinds
    Field field = Field::None;        // for the artifact kinds and OutputParameter
    KfpQuoted key;                    // Field::MetadataKey
    std::vector<KfpQuoted> arguments; // RunTime, ScheduleTime: the format, then the zone if written

    // Placeholders spelled as the KFP SDK and Pipewright write them.
    static KfpPlaceholder of(Kind kind); // the kinds without a name or arguments
    static KfpPlaceholder inputParameter(std::string name);
    static KfpPlaceholder inputArtifact(std::string name, Field field);
    static KfpPlaceholder outputParameter(std::string name);
    static KfpPlaceholder outputArtifact(std::string name, Field field);
    static KfpPlaceholder runTime(Kind kind, std::string format, std::string zone); // RunTime or ScheduleTime

    // The whole text, "{{$...}}". Errors name the placeholder; `offset` is
    // where it starts in the surrounding string (for the message and column).
    static Result<KfpPlaceholder> parse(std::string_view text, std::size_t offset = 0);
    std::string toString() const;

    const std::string &format() const; // RunTime, ScheduleTime; empty when absent
    const std::string &zone() const;   // RunTime, ScheduleTime; empty when absent

    bool operator==(const KfpPlaceholder &) const = default;
};

// True when `text` holds the start of a placeholder ("{{$"): what every
// reader of IR strings treats as "needs resolving".
bool containsKfpPlaceholder(std::string_view text);

// Every Pipewright extension starts with this; targets other than Pipewright's
// own cannot resolve them.
inline constexpr std::string_view kPipewrightPlaceholderPrefix = "{{$.pipewright.";

} // namespace pw::ir
