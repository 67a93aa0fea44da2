// SPDX-License-Identifier: Apache-2.0
#pragma once

// The YAML-node primitives of the PipelineSpec reader (internal to core/ir):
// typed reads that fail with file, line, column and field, and the check of
// a message's field names against KFP's protos, which keeps the valid fields
// Pipewright does not model. Reads yaml-cpp nodes directly (not via JSON) so
// that every error can point at the offending node.

#include "ir/pipelinespec.h"
#include "ir/protofields.h"
#include "util/result.h"
#include "util/yamljson.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

namespace pw::ir {

class SpecNodeReader {
public:
    // Thrown inside the reader only; the public entry points turn it into an Error.
    struct Failure {
        Error error;
    };

    explicit SpecNodeReader(std::string fileName) : m_file(std::move(fileName)) {}

    static Error errorAt(std::string message, const std::string &file, int line = 0, int column = 0)
    {
        Error error;
        error.message = std::move(message);
        error.where.file = file;
        error.where.line = std::max(line, 0);
        error.where.column = std::max(column, 0);
        return error;
    }

protected:
    static std::string join(const std::string &path, std::string_view key)
    {
        return path.empty() ? std::string(key) : path + '.' + std::string(key);
    }

    static std::string indexed(const std::string &path, size_t index)
    {
        return path + '[' + std::to_string(index) + ']';
    }

    static bool present(const YAML::Node &node) { return node.IsDefined() && !node.IsNull(); }

    // Tests false, unlike a default-constructed (null) node.
    static YAML::Node absent() { return YAML::Node(YAML::NodeType::Undefined); }

    static std::string kindName(const YAML::Node &node)
    {
        switch (node.Type()) {
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Scalar:
            return "the scalar '" + node.Scalar() + "'";
        default:
            return "nothing";
        }
    }

    // The kept fields read so far (see knownFields), handed over once.
    std::map<std::string, Json> takeKept()
    {
        std::map<std::string, Json> kept = std::move(m_kept);
        m_kept.clear();
        return kept;
    }

    [[noreturn]] void fail(const YAML::Node &node, const std::string &field, const std::string &message) const
    {
        const YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
        Error error = errorAt(message, m_file, mark.line + 1, mark.column + 1);
        error.where.field = field;
        throw Failure{std::move(error)};
    }

    // KFP parses both documents with protobuf's JSON parser, which refuses a
    // field its message does not have; so does this reader, instead of
    // dropping what it does not know. `modelled` are the fields it reads;
    // `kept` are valid fields it does not model, which are kept as read (by
    // JSON pointer) and written back. It reads the lowerCamel names the KFP
    // SDK writes; a proto (snake_case) name is refused with the one to use.
    void knownFields(const YAML::Node &node, const std::string &path,
                     std::initializer_list<std::string_view> modelled,
                     std::initializer_list<ProtoField> kept = {}) const
    {
        for (const auto &entry : node) {
            const std::string key = entry.first.Scalar();
            if (std::find(modelled.begin(), modelled.end(), key) != modelled.end())
                continue;
            const auto field =
                std::find_if(kept.begin(), kept.end(), [&](const ProtoField &f) { return f.name == key; });
            if (field == kept.end())
                fail(entry.first, join(path, key), unknownFieldMessage(key, path, modelled, kept));
            keep(entry.second, join(path, key), field->message);
        }
    }

    // Keeps a valid, unmodelled value at `path` after checking its field names.
    void keep(const YAML::Node &value, const std::string &path, std::string_view message) const
    {
        if (const auto problem = checkMessage(value, message, path)) {
            Error error = errorAt(problem->message, m_file, problem->line, problem->column);
            error.where.field = problem->field;
            throw Failure{std::move(error)};
        }
        const std::string pointer = jsonPointer(path);
        if (pointer.ends_with("/-")) // items appended to a list: all of them, in order
            m_kept[pointer].push_back(yamlToJson(value));
        else
            m_kept[pointer] = yamlToJson(value);
    }

    // "a.b[2].c" -> "/a/b/2/c"; "[-]" (append to a list) -> "/-".
    static std::string jsonPointer(const std::string &path)
    {
        std::string out = "/";
        for (const char c : path) {
            if (c == '.' || c == '[')
                out += '/';
            else if (c == '~')
                out += "~0";
            else if (c == '/')
                out += "~1";
            else if (c != ']')
                out += c;
        }
        return out;
    }

    void expectMap(const YAML::Node &node, const std::string &path, const char *what = nullptr) const
    {
        if (!node.IsMap())
            fail(node, path,
                 std::string(what ? what : "'" + path + "'") + " must be a mapping, not " + kindName(node));
    }

    void expectList(const YAML::Node &node, const std::string &path) const
    {
        if (!node.IsSequence())
            fail(node, path, "'" + path + "' must be a list, not " + kindName(node));
    }

    YAML::Node required(const YAML::Node &map, const char *key, const std::string &path) const
    {
        const YAML::Node child = map[key];
        if (!present(child))
            fail(map, join(path, key), std::string("missing required field '") + key + "'");
        return child;
    }

    // The child mapping, or an empty (false) node when the key is absent.
    YAML::Node optMap(const YAML::Node &map, const char *key, const std::string &path) const
    {
        const YAML::Node child = map[key];
        if (!present(child))
            return absent();
        expectMap(child, join(path, key));
        return child;
    }

    template <typename Fn>
    void forEachEntry(const YAML::Node &map, const char *key, const std::string &path, Fn &&fn) const
    {
        const YAML::Node child = optMap(map, key, path);
        if (!child)
            return;
        const std::string childPath = join(path, key);
        for (const auto &entry : child) {
            const std::string name = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
            if (name.empty())
                fail(entry.first, childPath, "keys of '" + childPath + "' must be non-empty names");
            fn(name, entry.second, join(childPath, name));
        }
    }

    template <typename Fn>
    void forEachItem(const YAML::Node &map, const char *key, const std::string &path, Fn &&fn) const
    {
        const YAML::Node child = map[key];
        if (!present(child))
            return;
        const std::string childPath = join(path, key);
        expectList(child, childPath);
        for (size_t i = 0; i < child.size(); ++i)
            fn(child[i], indexed(childPath, i));
    }

    // Any scalar is accepted where the proto has a string: hand-written YAML
    // often leaves `value: 8080` or `name: 2024` unquoted.
    std::string text(const YAML::Node &node, const std::string &path) const
    {
        if (node.IsNull())
            return {};
        if (!node.IsScalar())
            fail(node, path, "'" + path + "' must be a string, not " + kindName(node));
        return node.Scalar();
    }

    std::string optText(const YAML::Node &map, const char *key, const std::string &path) const
    {
        const YAML::Node child = map[key];
        return present(child) ? text(child, join(path, key)) : std::string();
    }

    bool boolean(const YAML::Node &node, const std::string &path) const
    {
        const Json value = node.IsScalar() ? yamlToJson(node) : Json();
        if (!value.is_boolean())
            fail(node, path, "'" + path + "' must be true or false, not " + kindName(node));
        return value.get<bool>();
    }

    bool optBool(const YAML::Node &map, const char *key, const std::string &path) const
    {
        const YAML::Node child = map[key];
        return present(child) && boolean(child, join(path, key));
    }

    // Integers; int64 fields arrive as strings in protobuf's JSON mapping, so digits in quotes count.
    std::int64_t integer(const YAML::Node &node, const std::string &path) const
    {
        if (node.IsScalar()) {
            const Json value = yamlToJson(node);
            if (value.is_number_integer())
                return value.get<std::int64_t>();
            const std::string &s = node.Scalar();
            std::int64_t parsed = 0;
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
            if (!s.empty() && ec == std::errc() && end == s.data() + s.size())
                return parsed;
        }
        fail(node, path, "'" + path + "' must be an integer, not " + kindName(node));
    }

    double number(const YAML::Node &node, const std::string &path) const
    {
        const Json value = node.IsScalar() ? yamlToJson(node) : Json();
        if (!value.is_number())
            fail(node, path, "'" + path + "' must be a number, not " + kindName(node));
        return value.get<double>();
    }

    std::map<std::string, std::string> stringMap(const YAML::Node &node, const std::string &path) const
    {
        expectMap(node, path);
        std::map<std::string, std::string> out;
        for (const auto &entry : node) {
            const std::string key = text(entry.first, path);
            out[key] = text(entry.second, join(path, key));
        }
        return out;
    }

    std::string m_file;
    mutable std::map<std::string, Json> m_kept; // JSON pointer -> value (see knownFields)
};

} // namespace pw::ir
