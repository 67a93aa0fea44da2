// SPDX-License-Identifier: Apache-2.0
#pragma once

// One string of a KFP container's `command` or `args` (or a runtime constant)
// as a tree: text with placeholders, or one of the structs the KFP SDK
// serialises as JSON inside the string:
//   "--x={{$.inputs.parameters['x']}}"
//   {"Concat": ["--x=", "{{$.inputs.parameters['x']}}"]}
//   {"IfPresent": {"InputName": "x", "Then": ["--x", "{{$.inputs.parameters['x']}}"], "Else": [...]}}
// toString() gives back the text it was parsed from, byte for byte, for
// everything the KFP SDK and Pipewright write. Struct JSON in another layout
// (other spacing, key order, escapes) reads the same but prints in the SDK's
// json.dumps layout: the struct's meaning is kept, its spacing is not.

#include "ir/kfpplaceholder.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw::ir {

// Literal text, or one placeholder.
struct KfpSegment {
    bool isPlaceholder = false;
    std::string text;           // literal text
    KfpPlaceholder placeholder; // when isPlaceholder

    static KfpSegment literal(std::string text);
    static KfpSegment of(KfpPlaceholder placeholder);
    std::string toString() const;

    bool operator==(const KfpSegment &) const = default;
};

struct KfpArgument {
    enum class Kind {
        Text,      // segments, joined
        Concat,    // {"Concat": [items]}: one string
        IfPresent, // {"IfPresent": ...}: the Then or Else items, 0..n strings
    };
    // A Then or Else list. Inside a Concat the SDK writes a one-item branch as
    // the item itself rather than a list (`bare`).
    struct Branch {
        std::vector<KfpArgument> items;
        bool bare = false;
        bool operator==(const Branch &) const = default;
    };

    Kind kind = Kind::Text;
    std::vector<KfpSegment> segments; // Text; none for the empty string
    std::vector<KfpArgument> items;   // Concat
    std::string inputName;            // IfPresent
    Branch thenBranch;                // IfPresent
    std::optional<Branch> elseBranch; // IfPresent

    static KfpArgument text(std::vector<KfpSegment> segments);
    static KfpArgument concat(std::vector<KfpArgument> items);
    static KfpArgument ifPresent(std::string inputName, Branch thenBranch, std::optional<Branch> elseBranch);

    // A command/args string. Struct JSON is recognised by the exact prefix
    // json.dumps gives it ({"Concat": , {"IfPresent": ), as the KFP backend
    // and the SDK's local runner do; any other text is Text.
    static Result<KfpArgument> parse(std::string_view text);
    // Text only: a string inside a struct, or a runtime constant, where JSON
    // is plain text.
    static Result<KfpArgument> parseText(std::string_view text);
    std::string toString() const;

    // Text whose only segment is one placeholder, else null.
    const KfpPlaceholder *singlePlaceholder() const;
    // IfPresent: the branch that applies, null when there is none (no Else).
    const Branch *branchFor(bool inputPresent) const;

    bool operator==(const KfpArgument &) const = default;
};

} // namespace pw::ir
