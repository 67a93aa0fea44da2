// SPDX-License-Identifier: Apache-2.0
#include "util/nearestname.h"

#include <algorithm>
#include <vector>

namespace pw {

namespace {

std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

std::string_view nearestName(std::string_view name, std::initializer_list<std::string_view> names)
{
    return nearestName(name, std::span<const std::string_view>(names.begin(), names.size()));
}

std::string_view nearestName(std::string_view name, std::span<const std::string_view> names)
{
    std::string_view best;
    std::size_t bestDistance = 3; // only near misses make useful suggestions
    for (std::string_view n : names) {
        const std::size_t d = editDistance(name, n);
        if (d < bestDistance) {
            best = n;
            bestDistance = d;
        }
    }
    return best;
}

} // namespace pw
