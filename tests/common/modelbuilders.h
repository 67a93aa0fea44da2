// SPDX-License-Identifier: Apache-2.0
// Small builders for pipeline models written by hand in tests.
#pragma once

#include "model/porttype.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace pw::test {

PortSpec port(std::string name, PortType type, std::optional<nlohmann::json> def = std::nullopt,
              bool optional = false);

} // namespace pw::test
