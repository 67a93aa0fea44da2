// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/runwatch.h"

#include <functional>
#include <vector>

namespace pw::test {

// The events a watch delivers until `stop` says so or the run ended (an End
// event). Only a hung backend reaches the guard (a minute): then what came.
std::vector<RunEvent> collectEvents(RunWatch &watch, const std::function<bool(const RunEvent &)> &stop = {});

} // namespace pw::test
