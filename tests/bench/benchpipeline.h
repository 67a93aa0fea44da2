// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"

namespace pw::bench {

// A generated step with a Dataset and two parameter inputs and outputs.
pw::Component makeBenchComponent(int variant);
// A layered DAG ten tasks wide: each task reads the artifact of one task in
// the previous layer and the score of another, like a wide feature pipeline.
// Without `withLayout` the document has no layout section, so the studio
// lays it out on open.
pw::Pipeline generateBenchPipeline(int tasks, bool withLayout = true);

} // namespace pw::bench
