// SPDX-License-Identifier: Apache-2.0
#include "problemlist.h"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>

namespace pw::cli {

namespace {

// 9995 -> "9,995"
std::string withThousands(std::size_t n)
{
    std::string digits = std::to_string(n);
    for (int i = int(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(std::size_t(i), ",");
    return digits;
}

std::string located(Problem p, const std::string &file)
{
    if (p.where.file.empty())
        p.where.file = file;
    return p.toString();
}

} // namespace

std::string problemKind(const Problem &problem)
{
    std::string kind = std::to_string(int(problem.severity)) + ":";
    bool quoted = false;
    bool inNumber = false;
    for (char ch : problem.message) {
        if (ch == '\'') {
            quoted = !quoted;
            kind += ch;
            continue;
        }
        if (quoted)
            continue;
        const bool digit = std::isdigit(static_cast<unsigned char>(ch));
        if (digit && !inNumber)
            kind += '#';
        inNumber = digit;
        if (!digit)
            kind += ch;
    }
    return kind;
}

bool printProblems(const std::vector<Problem> &problems, const std::string &file, bool all)
{
    std::vector<std::string> order; // kinds, by first appearance
    std::map<std::string, std::vector<const Problem *>> byKind;
    for (const Problem &p : problems) {
        auto &list = byKind[problemKind(p)];
        if (list.empty())
            order.push_back(problemKind(p));
        list.push_back(&p);
    }
    bool repeats = false;
    for (const auto &[kind, list] : byKind)
        repeats = repeats || list.size() > kProblemsShownPerKind;
    if (all || !repeats) {
        for (const Problem &p : problems)
            std::cerr << located(p, file) << "\n";
        return !hasErrors(problems);
    }
    for (const std::string &kind : order) {
        const auto &list = byKind[kind];
        const std::size_t shown = std::min(list.size(), kProblemsShownPerKind);
        for (std::size_t i = 0; i < shown; ++i)
            std::cerr << located(*list[i], file) << "\n";
        if (list.size() > shown)
            std::cerr << "  ... and " << withThousands(list.size() - shown)
                      << " more like this; `pipewright validate --all " << file << "` lists them\n";
    }
    return !hasErrors(problems);
}

} // namespace pw::cli
