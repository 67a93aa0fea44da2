// SPDX-License-Identifier: Apache-2.0
#include "modelbuilders.h"

namespace pw::test {

PortSpec port(std::string name, PortType type, std::optional<nlohmann::json> def, bool optional)
{
    PortSpec p;
    p.name = std::move(name);
    p.type = std::move(type);
    p.defaultValue = std::move(def);
    p.optional = optional;
    return p;
}

} // namespace pw::test
