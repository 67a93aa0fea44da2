// SPDX-License-Identifier: Apache-2.0
#pragma once

// Pure text translations used by the Argo writer: KFP placeholders, KFP's
// CEL trigger conditions -> Argo `when`, strftime -> Go layouts inside Argo
// expression templates, and Argo's naming rules. Kept apart from the writer
// so they can be tested table by table.

#include "util/result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw::argo {

// One `{{$...}}` placeholder of the KFP IR.
struct Placeholder {
    enum class Kind {
        ExecutorInput,   // {{$}}
        InputParameter,  // {{$.inputs.parameters['x']}}
        InputArtifact,   // {{$.inputs.artifacts['x'].path|uri|metadata}}
        OutputParameter, // {{$.outputs.parameters['y'].output_file}}
        OutputArtifact,  // {{$.outputs.artifacts['y'].path|uri|metadata}}
        JobName,         // {{$.pipeline_job_name}}, {{$.pipeline_job_resource_name}}
        JobUuid,         // {{$.pipeline_job_uuid}}
        JobCreateTime,   // {{$.pipeline_job_create_time_utc}}
        JobScheduleTime, // {{$.pipeline_job_schedule_time_utc}}
        TaskName,        // {{$.pipeline_task_name}}
        TaskUuid,        // {{$.pipeline_task_uuid}}
        PipelineRoot,    // {{$.pipeline_root}}
        RunTime,         // {{$.pipewright.run_time['<strftime>','<zone>']}}
    };
    Kind kind = Kind::ExecutorInput;
    std::string name;  // input/output name
    std::string field; // path, uri, metadata, output_file
    std::string format, zone;
    std::string text; // the whole placeholder as written, for messages
};

// `inner` is the text between `{{` and `}}` and starts with `$`.
Result<Placeholder> parsePlaceholder(std::string_view inner);

using PlaceholderRenderer = std::function<Result<std::string>(const Placeholder &)>;

// Replaces every `{{$...}}` in `text`; other text (including Argo's own
// `{{...}}` tags) is copied unchanged. The first error wins.
Result<std::string> renderPlaceholders(std::string_view text, const PlaceholderRenderer &render);

// True when `text` holds at least one `{{$` placeholder.
bool hasPlaceholder(std::string_view text);

// Resolves a task input name used in a condition to its Argo text: a tag such
// as `{{tasks.a.outputs.parameters.b}}` or a literal; nullopt when unknown.
using ParameterLookup = std::function<std::optional<std::string>(const std::string &name)>;

// KFP CEL trigger condition -> Argo `when` (govaluate/expr syntax), e.g.
//   inputs.parameter_values['x'] == 'heads'  ->  "{{...}}" == "heads"
//   int(inputs.parameter_values['n']) > 5    ->  {{...}} > 5
//   !(a == 'x') && b == 'y'                  ->  !("..." == "x") && "..." == "y"
Result<std::string> whenFromCel(std::string_view cel, const ParameterLookup &lookup);

// strftime format -> Go reference-time layout ("%Y-%m-%d" -> "2006-01-02").
// Literal text that Go would read as a layout element is an error; use
// runTimeExpression, which keeps such text out of the layout.
Result<std::string> goLayoutFromStrftime(std::string_view format);

// The run's creation time, formatted in an IANA zone, as an Argo expression
// template: {{=sprig.dateInZone('<layout>', sprig.toDate(<RFC 3339 layout>,
// workflow.creationTimestamp.RFC3339), '<zone>')}}. An empty zone means UTC.
Result<std::string> runTimeExpression(std::string_view format, std::string_view zone);

// `parseJson(string_value)["a"]["b"]` -> {"a", "b"}.
Result<std::vector<std::string>> selectorKeys(std::string_view selector);

// Argo names: templates and DAG tasks match [a-zA-Z0-9][-a-zA-Z0-9]* (at most
// 128 characters); parameters and artifacts match [-a-zA-Z0-9_]+.
std::string templateName(std::string_view name);
std::string parameterName(std::string_view name);
// Kubernetes object name prefix for metadata.generateName (lowercase DNS label).
std::string generateNamePrefix(std::string_view pipelineName);

// `name` as a single-quoted expr string literal.
std::string exprString(std::string_view text);

} // namespace pw::argo
