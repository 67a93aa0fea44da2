// SPDX-License-Identifier: Apache-2.0
#include "ir/kfpargument.h"

#include "util/pyjson.h"

#include <nlohmann/json.hpp>

#include <utility>

namespace pw::ir {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kConcatPrefix = R"({"Concat": )";
constexpr std::string_view kIfPresentPrefix = R"({"IfPresent": )";

Error structError(std::string message)
{
    return Error{std::move(message), {}};
}

Result<KfpArgument> fromStruct(const Json &j, int depth);

Result<KfpArgument> fromElement(const Json &j, int depth)
{
    if (j.is_string())
        return KfpArgument::parseText(j.get_ref<const std::string &>());
    if (j.is_object())
        return fromStruct(j, depth);
    return structError("expected a string or a placeholder object, got " + j.dump());
}

Result<KfpArgument::Branch> fromBranch(const Json &j, int depth)
{
    KfpArgument::Branch branch;
    branch.bare = !j.is_array();
    for (const Json &e : branch.bare ? Json::array({j}) : j) {
        auto a = fromElement(e, depth);
        if (!a)
            return a.error();
        branch.items.push_back(std::move(a).value());
    }
    return branch;
}

Result<KfpArgument> fromStruct(const Json &j, int depth)
{
    // Nesting this deep is not a real component; stop before the stack does.
    if (depth > 64)
        return structError("placeholders nested too deeply");
    if (!j.is_object() || j.size() != 1)
        return structError("expected {\"Concat\": [...]} or {\"IfPresent\": {...}}, got " + j.dump());
    const auto first = j.begin();
    const std::string &key = first.key();
    const Json &value = first.value();
    if (key == "Concat") {
        if (!value.is_array())
            return structError("Concat expects a list, got " + value.dump());
        std::vector<KfpArgument> items;
        for (const Json &e : value) {
            auto item = fromElement(e, depth + 1);
            if (!item)
                return item.error();
            items.push_back(std::move(item).value());
        }
        return KfpArgument::concat(std::move(items));
    }
    if (key == "IfPresent") {
        if (!value.is_object())
            return structError("IfPresent expects an object, got " + value.dump());
        for (const auto &[k, v] : value.items()) {
            if (k != "InputName" && k != "Then" && k != "Else")
                return structError("IfPresent has unknown key '" + k + "'");
        }
        const auto name = value.find("InputName");
        if (name == value.end() || !name->is_string() || name->get_ref<const std::string &>().empty())
            return structError("IfPresent needs a string InputName");
        const auto then = value.find("Then");
        if (then == value.end())
            return structError("IfPresent needs Then");
        auto thenBranch = fromBranch(*then, depth + 1);
        if (!thenBranch)
            return thenBranch.error();
        std::optional<KfpArgument::Branch> elseBranch;
        const auto otherwise = value.find("Else");
        if (otherwise != value.end() && !otherwise->is_null()) {
            auto b = fromBranch(*otherwise, depth + 1);
            if (!b)
                return b.error();
            elseBranch = std::move(b).value();
        }
        return KfpArgument::ifPresent(name->get<std::string>(), std::move(thenBranch).value(),
                                      std::move(elseBranch));
    }
    return structError("unknown placeholder struct '" + key + "'");
}

void appendStruct(std::string &out, const KfpArgument &a);

// One element of a Concat or a branch: a JSON string, or a nested struct as
// an object (not as a string), the way the SDK nests them.
void appendElement(std::string &out, const KfpArgument &a)
{
    if (a.kind == KfpArgument::Kind::Text)
        out += pythonJsonDumps(a.toString());
    else
        appendStruct(out, a);
}

void appendBranch(std::string &out, const KfpArgument::Branch &b)
{
    if (b.bare && b.items.size() == 1) {
        appendElement(out, b.items.front());
        return;
    }
    out += '[';
    for (std::size_t i = 0; i < b.items.size(); ++i) {
        if (i)
            out += ", ";
        appendElement(out, b.items[i]);
    }
    out += ']';
}

void appendStruct(std::string &out, const KfpArgument &a)
{
    if (a.kind == KfpArgument::Kind::Concat) {
        out += "{\"Concat\": [";
        for (std::size_t i = 0; i < a.items.size(); ++i) {
            if (i)
                out += ", ";
            appendElement(out, a.items[i]);
        }
        out += "]}";
        return;
    }
    // Key order and spacing as json.dumps writes the SDK's dict.
    out += "{\"IfPresent\": {\"InputName\": " + pythonJsonDumps(a.inputName) + ", \"Then\": ";
    appendBranch(out, a.thenBranch);
    if (a.elseBranch) {
        out += ", \"Else\": ";
        appendBranch(out, *a.elseBranch);
    }
    out += "}}";
}

} // namespace

KfpSegment KfpSegment::literal(std::string text)
{
    KfpSegment s;
    s.text = std::move(text);
    return s;
}

KfpSegment KfpSegment::of(KfpPlaceholder placeholder)
{
    KfpSegment s;
    s.isPlaceholder = true;
    s.placeholder = std::move(placeholder);
    return s;
}

std::string KfpSegment::toString() const
{
    return isPlaceholder ? placeholder.toString() : text;
}

KfpArgument KfpArgument::text(std::vector<KfpSegment> segments)
{
    KfpArgument a;
    a.segments = std::move(segments);
    return a;
}

KfpArgument KfpArgument::concat(std::vector<KfpArgument> items)
{
    KfpArgument a;
    a.kind = Kind::Concat;
    a.items = std::move(items);
    return a;
}

KfpArgument KfpArgument::ifPresent(std::string inputName, Branch thenBranch, std::optional<Branch> elseBranch)
{
    KfpArgument a;
    a.kind = Kind::IfPresent;
    a.inputName = std::move(inputName);
    a.thenBranch = std::move(thenBranch);
    a.elseBranch = std::move(elseBranch);
    return a;
}

Result<KfpArgument> KfpArgument::parse(std::string_view text)
{
    if (text.starts_with(kConcatPrefix) || text.starts_with(kIfPresentPrefix)) {
        const auto j = Json::parse(text, nullptr, false);
        if (j.is_discarded())
            return structError("malformed placeholder JSON: " + std::string(text.substr(0, 80)));
        return fromStruct(j, 0);
    }
    return parseText(text);
}

Result<KfpArgument> KfpArgument::parseText(std::string_view text)
{
    std::vector<KfpSegment> segments;
    std::size_t pos = 0;
    while (true) {
        const std::size_t start = text.find("{{$", pos);
        if (start == std::string_view::npos)
            break;
        if (start > pos)
            segments.push_back(KfpSegment::literal(std::string(text.substr(pos, start - pos))));
        const std::size_t end = text.find("}}", start + 3);
        if (end == std::string_view::npos) {
            Error e;
            e.message = "unterminated placeholder at offset " + std::to_string(start + 1) +
                        ": missing '}}' after '" + std::string(text.substr(start, 40)) + "'";
            e.where.column = static_cast<int>(start + 1);
            return e;
        }
        auto placeholder = KfpPlaceholder::parse(text.substr(start, end + 2 - start), start);
        if (!placeholder)
            return placeholder.error();
        segments.push_back(KfpSegment::of(std::move(placeholder).value()));
        pos = end + 2;
    }
    if (pos < text.size())
        segments.push_back(KfpSegment::literal(std::string(text.substr(pos))));
    return KfpArgument::text(std::move(segments));
}

std::string KfpArgument::toString() const
{
    if (kind != Kind::Text) {
        std::string out;
        appendStruct(out, *this);
        return out;
    }
    std::string out;
    for (const KfpSegment &s : segments)
        out += s.toString();
    return out;
}

const KfpPlaceholder *KfpArgument::singlePlaceholder() const
{
    if (kind != Kind::Text || segments.size() != 1 || !segments.front().isPlaceholder)
        return nullptr;
    return &segments.front().placeholder;
}

const KfpArgument::Branch *KfpArgument::branchFor(bool inputPresent) const
{
    if (inputPresent)
        return &thenBranch;
    return elseBranch ? &*elseBranch : nullptr;
}

} // namespace pw::ir
