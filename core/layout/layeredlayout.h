// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "layout/graphlayout.h"

namespace pw {

// A layered (Sugiyama-style) layout that stays linear in the size of the
// graph: cycles broken by depth-first search, longest-path ranks with
// sources pulled next to their consumers, barycentric ordering sweeps, and
// coordinates balanced between a left- and a right-aligned placement. Each
// cluster is laid out on its own and then placed as one block in its parent,
// so frames never overlap and an edge into a cluster orders the whole
// cluster after its producer. Unknown edge endpoints are an error.
Result<LayoutResult> layeredLayout(const LayoutRequest &request);

} // namespace pw
