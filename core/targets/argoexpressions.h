// SPDX-License-Identifier: Apache-2.0
#pragma once

// Pure text translations used by the Argo writer: KFP placeholders, KFP's
// CEL trigger conditions -> Argo `when`, strftime -> Go layouts inside Argo
// expression templates, and Argo's naming rules. Kept apart from the writer
// so they can be tested table by table.

#include "ir/celexpression.h"
#include "ir/kfpargument.h"
#include "util/result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw::argo {

using PlaceholderRenderer = std::function<Result<std::string>(const ir::KfpPlaceholder &)>;

// Replaces every `{{$...}}` in `text`; other text (including Argo's own
// `{{...}}` tags) is copied unchanged. The first error wins.
Result<std::string> renderPlaceholders(std::string_view text, const PlaceholderRenderer &render);
Result<std::string> renderSegments(const std::vector<ir::KfpSegment> &segments,
                                   const PlaceholderRenderer &render);

// Resolves a task input name used in a condition to its Argo text: a tag such
// as `{{tasks.a.outputs.parameters.b}}` or a literal; nullopt when unknown.
using ParameterLookup = std::function<std::optional<std::string>(const std::string &name)>;

// KFP CEL trigger condition -> Argo `when` (govaluate/expr syntax), e.g.
//   inputs.parameter_values['x'] == 'heads'  ->  "{{...}}" == "heads"
//   int(inputs.parameter_values['n']) > 5    ->  {{...}} > 5
//   !(a == 'x') && b == 'y'                  ->  !("..." == "x") && "..." == "y"
Result<std::string> whenFromCel(std::string_view cel, const ParameterLookup &lookup);
Result<std::string> whenFromCel(const ir::CelExpression &cel, const ParameterLookup &lookup);

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
