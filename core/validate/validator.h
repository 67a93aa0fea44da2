// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "validate/problem.h"

#include <string>
#include <vector>

namespace pw {

// Checks a pipeline: cycles, unknown or missing required inputs, type
// mismatches between bound ports, duplicate names, invalid Kubernetes names,
// bad cron/tolerations/resource quantities, references to missing tasks,
// groups or parameters, unused outputs (warning).
std::vector<Problem> validatePipeline(const Pipeline &pipeline);

// KFP's name sanitiser: lower case, runs of other characters become '-',
// trimmed of '-' ("Train Model!" -> "train-model").
std::string sanitizeK8sName(std::string_view name);
bool isValidK8sName(std::string_view name); // DNS-1123 label
bool isValidQuantity(std::string_view quantity); // Kubernetes resource quantity
bool isValidCron(std::string_view expr);         // 5- or 6-field cron, or @daily etc.

} // namespace pw
