// SPDX-License-Identifier: Apache-2.0
#include "model/component.h"

#include <algorithm>

namespace pw {

namespace {
const PortSpec *findPort(const std::vector<PortSpec> &ports, std::string_view n)
{
    auto it = std::find_if(ports.begin(), ports.end(), [&](const PortSpec &p) { return p.name == n; });
    return it == ports.end() ? nullptr : &*it;
}
} // namespace

const PortSpec *Component::input(std::string_view n) const
{
    return findPort(inputs, n);
}
const PortSpec *Component::output(std::string_view n) const
{
    return findPort(outputs, n);
}

} // namespace pw
