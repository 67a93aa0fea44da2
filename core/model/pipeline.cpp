// SPDX-License-Identifier: Apache-2.0
#include "model/pipeline.h"

#include <algorithm>

namespace pw {

const Component *Pipeline::component(std::string_view id) const
{
    auto it = components.find(std::string(id));
    return it == components.end() ? nullptr : &it->second;
}

Component *Pipeline::component(std::string_view id)
{
    auto it = components.find(std::string(id));
    return it == components.end() ? nullptr : &it->second;
}

const PortSpec *Pipeline::input(std::string_view n) const
{
    auto it = std::find_if(inputs.begin(), inputs.end(), [&](const PortSpec &p) { return p.name == n; });
    return it == inputs.end() ? nullptr : &*it;
}

const NodePool *Pipeline::nodePool(std::string_view n) const
{
    auto it = std::find_if(nodePools.begin(), nodePools.end(), [&](const NodePool &p) { return p.name == n; });
    return it == nodePools.end() ? nullptr : &*it;
}

} // namespace pw
