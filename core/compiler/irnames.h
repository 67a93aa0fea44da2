// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/kfpplaceholder.h"
#include "model/porttype.h"
#include "model/runvalue.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <string>

namespace pw {

// Names and small renderings the KFP compiler uses in PipelineSpec, shared by
// lowering (which writes them) and raising (which recognises them).

inline const std::string kChannelPrefix = "pipelinechannel--";

inline std::string channelName(const std::string &base) { return kChannelPrefix + base; }

// "for-loop-3" -> "loop-item-param-2": KFP numbers the item before the group.
std::string defaultLoopItemName(const std::string &loopGroupId);

// Item type KFP infers from a literal list's first element.
ParameterType inferItemType(const nlohmann::json &list);

// "{{$.pipeline_job_name}}" and friends. A value with a format or time zone
// has no KFP placeholder: with `native` it becomes the pipewright extension
// "{{$.pipewright.run_time['<format>','<zone>']}}", else it is an error (the
// compiler adds a helper step before it gets here).
Result<std::string> runValuePlaceholder(const RunValue &value, bool native);

// Kubernetes quantities as the numbers the SDK's older resource fields hold:
// CPU in cores ("500m" -> 0.5), memory in gigabytes ("4Gi" -> 4.294967296).
double cpuToCores(const std::string &quantity);
double memoryToGigabytes(const std::string &quantity);

// The reverse, for import; nullopt when `text` is not exactly one run-time placeholder.
std::optional<RunValue> runValueFromPlaceholder(const ir::KfpPlaceholder &placeholder);
std::optional<RunValue> runValueFromPlaceholder(const std::string &text);

} // namespace pw
