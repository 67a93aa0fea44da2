// SPDX-License-Identifier: Apache-2.0
#include "specoptions.h"

namespace pw {

ir::PipelineSpec withCaching(ir::PipelineSpec spec, bool cache)
{
    if (cache)
        return spec;
    const auto off = [](ir::Dag &dag) {
        for (auto &[_, task] : dag.tasks)
            task.enableCache = false;
    };
    if (spec.root.dag)
        off(*spec.root.dag);
    for (auto &[_, component] : spec.components)
        if (component.dag)
            off(*component.dag);
    return spec;
}

} // namespace pw
