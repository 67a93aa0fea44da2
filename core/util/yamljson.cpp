// SPDX-License-Identifier: Apache-2.0
#include "util/yamljson.h"

#include "util/utf8.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <sstream>

namespace pw {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

size_t skipDigits(std::string_view s, size_t i)
{
    while (i < s.size() && isDigit(s[i]))
        ++i;
    return i;
}

// Past an optional exponent ("e+12") starting at i; npos when it is malformed.
size_t skipExponent(std::string_view s, size_t i)
{
    if (i >= s.size() || (s[i] != 'e' && s[i] != 'E'))
        return i;
    size_t digitsStart = i + 1;
    if (digitsStart < s.size() && (s[digitsStart] == '-' || s[digitsStart] == '+'))
        ++digitsStart;
    const size_t end = skipDigits(s, digitsStart);
    return end == digitsStart ? std::string_view::npos : end;
}

bool oneOf(std::string_view s, std::initializer_list<std::string_view> words)
{
    for (std::string_view w : words) {
        if (s == w)
            return true;
    }
    return false;
}

// ---------------------------------------------------------------- YAML -> JSON

// from_chars over the whole of `text`, nothing left over.
template <typename Int>
bool parsesAll(std::string_view text, Int &value, int base = 10)
{
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    return ec == std::errc() && end == text.data() + text.size();
}

// Integers of the YAML 1.2 core schema: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+.
std::optional<nlohmann::json> coreInt(std::string_view s)
{
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
        std::uint64_t value = 0;
        if (!parsesAll(s.substr(2), value, s[1] == 'x' ? 16 : 8))
            return std::nullopt;
        return nlohmann::json(value);
    }
    const bool negative = s.starts_with('-');
    const std::string_view digits = negative || s.starts_with('+') ? s.substr(1) : s;
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), isDigit))
        return std::nullopt;
    std::int64_t value = 0;
    if (parsesAll(negative ? s : digits, value)) // from_chars takes '-' but not '+'
        return nlohmann::json(value);
    std::uint64_t big = 0;
    if (!negative && parsesAll(digits, big))
        return nlohmann::json(big);
    // Beyond 64 bits: JSON has no bigger integer, a double keeps the magnitude.
    return nlohmann::json(std::strtod(std::string(s).c_str(), nullptr));
}

// Floats of the YAML 1.2 core schema, including .inf and .nan.
std::optional<double> coreFloat(std::string_view s)
{
    std::string_view body = s;
    bool negative = false;
    if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
        negative = body[0] == '-';
        body.remove_prefix(1);
    }
    if (oneOf(body, {".inf", ".Inf", ".INF"}))
        return negative ? -INFINITY : INFINITY;
    if (s == body && oneOf(body, {".nan", ".NaN", ".NAN"}))
        return NAN;

    size_t i = skipDigits(body, 0);
    size_t digits = i;
    if (i < body.size() && body[i] == '.') {
        const size_t fractionEnd = skipDigits(body, i + 1);
        digits += fractionEnd - i - 1;
        i = fractionEnd;
    }
    if (digits == 0 || skipExponent(body, i) != body.size())
        return std::nullopt;
    return std::strtod(std::string(s).c_str(), nullptr);
}

nlohmann::json resolvePlainScalar(const std::string &s)
{
    if (oneOf(s, {"", "~", "null", "Null", "NULL"}))
        return nullptr;
    if (oneOf(s, {"true", "True", "TRUE"}))
        return true;
    if (oneOf(s, {"false", "False", "FALSE"}))
        return false;
    if (auto i = coreInt(s))
        return *i;
    if (auto f = coreFloat(s))
        return *f;
    return s;
}

// Anchors can make a node contain itself; past this depth we stop instead of overflowing the stack.
constexpr int kMaxDepth = 512;

nlohmann::json toJson(const YAML::Node &node, int depth)
{
    if (depth > kMaxDepth)
        return nullptr;
    switch (node.Type()) {
    case YAML::NodeType::Scalar: {
        const std::string &tag = node.Tag();
        // "!" marks a quoted or block scalar: always a string, whatever it looks like.
        if (tag == "!" || tag == "tag:yaml.org,2002:str")
            return node.Scalar();
        return resolvePlainScalar(node.Scalar());
    }
    case YAML::NodeType::Sequence: {
        nlohmann::json array = nlohmann::json::array();
        for (const YAML::Node &item : node)
            array.push_back(toJson(item, depth + 1));
        return array;
    }
    case YAML::NodeType::Map: {
        nlohmann::json object = nlohmann::json::object();
        for (const auto &entry : node) {
            const YAML::Node &key = entry.first;
            std::string name = key.IsScalar() ? key.Scalar() : (key.IsNull() ? "null" : YAML::Dump(key));
            object[name] = toJson(entry.second, depth + 1);
        }
        return object;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return nullptr;
}

// ---------------------------------------------------------------- JSON -> YAML

// Would a YAML 1.1 (PyYAML) or 1.2 reader turn this plain scalar into a number?
// Deliberately generous: quoting a string that did not need it costs nothing.
bool looksNumeric(std::string_view s)
{
    if (!s.empty() && (s[0] == '-' || s[0] == '+'))
        s.remove_prefix(1);
    if (s.empty())
        return false;
    if (oneOf(s, {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"}))
        return true;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
        for (char c : s.substr(2)) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
                return false;
        }
        return true;
    }
    // Decimal, YAML 1.1 octal, underscores and base-60 ("1:30") forms.
    size_t i = 0, digits = 0, dots = 0;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (isDigit(c))
            ++digits;
        else if (c == '.')
            ++dots;
        else if (c != '_' && c != ':')
            break;
    }
    return digits > 0 && dots <= 1 && skipExponent(s, i) == s.size();
}

// Words that some YAML reader types as null/bool (1.1 adds yes/no/on/off/y/n),
// plus 1.1's merge and value keys and its timestamps.
bool looksTyped(std::string_view s)
{
    // Every typed form starts with one of these; most keys and values do not,
    // and this check runs for every scalar written.
    static constexpr std::string_view kTypedStarts = "~nNtTfFyYoO=<0123456789+-.";
    if (s.empty() || kTypedStarts.find(s[0]) == std::string_view::npos)
        return false;
    if (s.size() <= 5
        && oneOf(s, {"~",    "null", "Null",  "NULL",  "true", "True", "TRUE", "false", "False", "FALSE",
                     "yes",  "Yes",  "YES",   "no",    "No",   "NO",   "on",   "On",    "ON",    "off",
                     "Off",  "OFF",  "y",     "Y",     "n",    "N",    "=",    "<<"}))
        return true;
    if (s.size() >= 6 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && isDigit(s[3]) && s[4] == '-'
        && isDigit(s[5]))
        return true;
    return looksNumeric(s);
}

enum class Style { Plain, Single, Double, Literal };

// Byte length of a UTF-8 sequence that YAML treats as a line break or BOM
// (U+0085, U+2028, U+2029, U+FEFF), 0 otherwise.
size_t specialUnicodeAt(std::string_view s, size_t i)
{
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    if (byte(i) == 0xC2 && i + 1 < s.size() && byte(i + 1) == 0x85)
        return 2;
    if (byte(i) == 0xE2 && i + 2 < s.size() && byte(i + 1) == 0x80 && (byte(i + 2) == 0xA8 || byte(i + 2) == 0xA9))
        return 3;
    if (byte(i) == 0xEF && i + 2 < s.size() && byte(i + 1) == 0xBB && byte(i + 2) == 0xBF)
        return 3;
    return 0;
}

bool plainAllowed(std::string_view s)
{
    const char first = s.front();
    if (std::string_view("?:,[]{}#&*!|>'\"%@`").find(first) != std::string_view::npos)
        return false;
    if (first == '-' && (s.size() == 1 || s[1] == ' ' || s.starts_with("---")))
        return false;
    if (s.starts_with("...") || first == ' ' || s.back() == ' ' || s.back() == ':')
        return false;
    if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos)
        return false;
    return !looksTyped(s);
}

// A literal block reproduces every line as written, provided the indentation
// of its first non-empty line is not mistaken for content.
bool literalAllowed(std::string_view s)
{
    size_t firstContent = s.find_first_not_of('\n');
    return firstContent != std::string_view::npos && s[firstContent] != ' ' && s[firstContent] != '\t';
}

size_t countNewlines(std::string_view s)
{
    size_t count = 0;
    for (size_t at = s.find('\n'); at != std::string_view::npos; at = s.find('\n', at + 1))
        ++count;
    return count;
}

// What one byte means for the choice of style.
enum CharClass : unsigned char { Ordinary, Newline, Tab, Control, MaybeSpecial };

constexpr std::array<CharClass, 256> makeCharClasses()
{
    std::array<CharClass, 256> classes{};
    for (int c = 0; c < 0x20; ++c)
        classes[c] = Control;
    classes['\n'] = Newline;
    classes['\t'] = Tab;
    classes[0x7F] = Control;
    classes[0xC2] = classes[0xE2] = classes[0xEF] = MaybeSpecial; // lead bytes of specialUnicodeAt()
    return classes;
}
constexpr std::array<CharClass, 256> kCharClasses = makeCharClasses();

Style chooseStyle(std::string_view s, bool isKey)
{
    if (s.empty())
        return Style::Single;
    bool newline = false, tab = false;
    for (size_t i = 0; i < s.size(); ++i) {
        switch (kCharClasses[static_cast<unsigned char>(s[i])]) {
        case Ordinary: break;
        case Newline: newline = true; break;
        case Tab: tab = true; break;
        case Control: return Style::Double;
        case MaybeSpecial:
            if (specialUnicodeAt(s, i))
                return Style::Double;
            break;
        }
    }
    if (newline)
        return !isKey && literalAllowed(s) ? Style::Literal : Style::Double;
    if (tab)
        return Style::Single;
    return plainAllowed(s) ? Style::Plain : Style::Single;
}

template <class Json>
class YamlWriter final {
public:
    YamlWriter() = default;
    explicit YamlWriter(const YamlKeyOrder *order) : m_order(order) {}

    std::string write(const Json &value)
    {
        // Growing a multi-megabyte string costs more than the emitting itself
        // (copies and fresh pages), so size it up front.
        m_out.reserve(estimatedSize(value, 0) * 9 / 8);
        if (value.is_object() && !value.empty())
            mapping(value, 0, false, m_order != nullptr);
        else if (value.is_array() && !value.empty())
            sequence(value, 0, false, m_order != nullptr);
        else
            scalarLine(value, 2);
        return std::move(m_out);
    }

private:
    using String = typename Json::string_t;

    // Close estimate of the output size (quoting aside), so that one allocation usually does.
    static size_t estimatedSize(const Json &value, size_t level)
    {
        switch (value.type()) {
        case nlohmann::json::value_t::object: {
            size_t size = 0;
            for (auto it = value.begin(); it != value.end(); ++it)
                size += level + it.key().size() + 4 + estimatedSize(it.value(), level + 2);
            return size;
        }
        case nlohmann::json::value_t::array: {
            size_t size = 0;
            for (const Json &item : value)
                size += level + 2 + estimatedSize(item, level + 2);
            return size;
        }
        case nlohmann::json::value_t::string: {
            const String &s = value.template get_ref<const String &>();
            return s.size() + 4 + countNewlines(s) * (level + 4);
        }
        default:
            return 24;
        }
    }

    void indent(int n) { m_out.append(static_cast<size_t>(n), ' '); }

    void mapping(const Json &object, int level, bool firstInline, bool reorder)
    {
        if (!reorder) {
            bool first = true;
            for (auto it = object.begin(); it != object.end(); ++it) {
                entry(it.key(), it.value(), level, !first || !firstInline, false);
                first = false;
            }
            return;
        }
        using Entry = std::pair<size_t, typename Json::const_iterator>;
        std::vector<Entry> entries;
        entries.reserve(object.size());
        for (auto it = object.begin(); it != object.end(); ++it)
            entries.emplace_back(rank(it.key()), it);
        std::stable_sort(entries.begin(), entries.end(),
                         [](const Entry &a, const Entry &b) { return a.first < b.first; });
        bool first = true;
        for (const auto &[_, it] : entries) {
            entry(it.key(), it.value(), level, !first || !firstInline, !isVerbatim(it.key()));
            first = false;
        }
    }

    void entry(const String &key, const Json &value, int level, bool indented, bool reorder)
    {
        if (indented)
            indent(level);
        string(key, level + 2, true);
        if (value.is_object() && !value.empty()) {
            m_out += ":\n";
            mapping(value, level + 2, false, reorder);
        } else if (value.is_array() && !value.empty()) {
            // PyYAML style: a list under a key sits at the key's own indentation.
            m_out += ":\n";
            sequence(value, level, false, reorder);
        } else {
            m_out += ": ";
            scalarLine(value, level + 2);
        }
    }

    void sequence(const Json &array, int level, bool firstInline, bool reorder)
    {
        bool first = true;
        for (const Json &item : array) {
            if (!first || !firstInline)
                indent(level);
            first = false;
            m_out += "- ";
            if (item.is_object() && !item.empty())
                mapping(item, level + 2, true, reorder);
            else if (item.is_array() && !item.empty())
                sequence(item, level + 2, true, reorder);
            else
                scalarLine(item, level + 2);
        }
    }

    size_t rank(std::string_view key) const
    {
        const auto &leading = m_order->leading;
        return static_cast<size_t>(std::find(leading.begin(), leading.end(), key) - leading.begin());
    }

    bool isVerbatim(std::string_view key) const
    {
        const auto &verbatim = m_order->verbatim;
        return std::find(verbatim.begin(), verbatim.end(), key) != verbatim.end();
    }

    // Writes a scalar or empty collection and ends the line; block scalars
    // continue on following lines at `contentIndent`.
    void scalarLine(const Json &value, int contentIndent)
    {
        switch (value.type()) {
        case nlohmann::json::value_t::string:
            string(value.template get_ref<const String &>(), contentIndent, false);
            break;
        case nlohmann::json::value_t::boolean:
            m_out += value.template get<bool>() ? "true" : "false";
            break;
        case nlohmann::json::value_t::number_integer:
            number(value.template get<std::int64_t>());
            break;
        case nlohmann::json::value_t::number_unsigned:
            number(value.template get<std::uint64_t>());
            break;
        case nlohmann::json::value_t::number_float:
            floating(value.template get<double>());
            break;
        case nlohmann::json::value_t::object:
            m_out += "{}";
            break;
        case nlohmann::json::value_t::array:
            m_out += "[]";
            break;
        default:
            m_out += "null";
            break;
        }
        if (m_out.back() != '\n')
            m_out += '\n';
    }

    template <typename Int>
    void number(Int value)
    {
        char buffer[24];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
        m_out.append(buffer, end);
    }

    // Python's float repr (what PyYAML writes), with the ".0" YAML 1.1 needs to see a float.
    void floating(double value)
    {
        if (std::isnan(value)) {
            m_out += ".nan";
            return;
        }
        if (std::isinf(value)) {
            m_out += value < 0 ? "-.inf" : ".inf";
            return;
        }
        const double magnitude = std::fabs(value);
        const bool fixed = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e16);
        char buffer[64];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value,
                                       fixed ? std::chars_format::fixed : std::chars_format::scientific);
        std::string_view text(buffer, static_cast<size_t>(end - buffer));
        size_t exponent = text.find('e');
        if (text.find('.') != std::string_view::npos) {
            m_out += text;
        } else if (exponent == std::string_view::npos) {
            m_out += text;
            m_out += ".0";
        } else {
            m_out += text.substr(0, exponent);
            m_out += ".0";
            m_out += text.substr(exponent);
        }
    }

    void string(std::string_view s, int contentIndent, bool isKey)
    {
        switch (chooseStyle(s, isKey)) {
        case Style::Plain:
            m_out += s;
            break;
        case Style::Single:
            m_out += '\'';
            for (char c : s) {
                if (c == '\'')
                    m_out += '\'';
                m_out += c;
            }
            m_out += '\'';
            break;
        case Style::Double:
            doubleQuoted(s);
            break;
        case Style::Literal:
            literal(s, contentIndent);
            break;
        }
    }

    void literal(std::string_view s, int contentIndent)
    {
        size_t trailing = 0;
        while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n')
            ++trailing;
        m_out += trailing == 0 ? "|-\n" : trailing == 1 ? "|\n" : "|+\n";
        std::string_view body = s.substr(0, s.size() - trailing);
        size_t start = 0;
        while (true) {
            size_t end = body.find('\n', start);
            std::string_view line = body.substr(start, end == std::string_view::npos ? end : end - start);
            if (!line.empty())
                indent(contentIndent);
            m_out += line;
            m_out += '\n';
            if (end == std::string_view::npos)
                break;
            start = end + 1;
        }
        // Keep-chomping: the extra line breaks are written as empty lines.
        if (trailing > 1)
            m_out.append(trailing - 1, '\n');
    }

    void doubleQuoted(std::string_view s)
    {
        static const char hex[] = "0123456789ABCDEF";
        m_out += '"';
        for (size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            switch (c) {
            case '"': m_out += "\\\""; continue;
            case '\\': m_out += "\\\\"; continue;
            case '\n': m_out += "\\n"; continue;
            case '\t': m_out += "\\t"; continue;
            case '\r': m_out += "\\r"; continue;
            case 0x00: m_out += "\\0"; continue;
            case 0x07: m_out += "\\a"; continue;
            case 0x08: m_out += "\\b"; continue;
            case 0x0B: m_out += "\\v"; continue;
            case 0x0C: m_out += "\\f"; continue;
            case 0x1B: m_out += "\\e"; continue;
            default: break;
            }
            if (c < 0x20 || c == 0x7F) {
                m_out += "\\x";
                m_out += hex[c >> 4];
                m_out += hex[c & 0xF];
            } else if (size_t n = c >= 0xC2 ? specialUnicodeAt(s, i) : 0) {
                // \\uXXXX rather than \\N/\\L/\\P: yaml-cpp decodes \\N to a bare Latin-1 byte.
                const auto last = static_cast<unsigned char>(s[i + n - 1]);
                m_out += n == 2 ? "\\u0085" : last == 0xA8 ? "\\u2028" : last == 0xA9 ? "\\u2029" : "\\uFEFF";
                i += n - 1;
            } else {
                m_out += static_cast<char>(c);
            }
        }
        m_out += '"';
    }

    const YamlKeyOrder *m_order = nullptr;
    std::string m_out;
};

} // namespace

nlohmann::json yamlToJson(const YAML::Node &node) { return toJson(node, 0); }

namespace {

// A scalar of a UTF-8 file that is not UTF-8 holds code points below U+0100
// that yaml-cpp decoded from \N or \_ without encoding them: encode them.
void repairScalar(YAML::Node node)
{
    const std::string &text = node.Scalar();
    if (!firstInvalidUtf8(text))
        return;
    std::string fixed;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto bad = firstInvalidUtf8(std::string_view(text).substr(i));
        const std::size_t end = bad ? i + *bad : text.size();
        fixed.append(text, i, end - i);
        if (!bad)
            break;
        const auto c = static_cast<unsigned char>(text[end]);
        fixed += static_cast<char>(0xC0 | (c >> 6));
        fixed += static_cast<char>(0x80 | (c & 0x3F));
        i = end + 1;
    }
    node = fixed;
}

Error treeError(const YAML::Node &node, const std::string &fileName, const std::string &message)
{
    Error e{message, {}};
    e.where.file = fileName;
    e.where.line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    e.where.column = node.Mark().column >= 0 ? node.Mark().column + 1 : 0;
    return e;
}

} // namespace

Result<bool> checkYamlTree(YAML::Node root, const std::string &fileName)
{
    std::vector<std::pair<YAML::Node, std::size_t>> stack{{root, 0}};
    std::size_t visited = 0;
    while (!stack.empty()) {
        auto [node, depth] = std::move(stack.back());
        stack.pop_back();
        if (++visited > kMaxYamlNodes)
            return treeError(root, fileName,
                             "the document expands to more than 5 million YAML nodes (through aliases)");
        if (depth > kMaxYamlDepth)
            return treeError(node, fileName, "values are nested too deeply (or an alias refers to itself)");
        if (node.IsScalar()) {
            repairScalar(node);
        } else if (node.IsSequence()) {
            for (const YAML::Node &item : node)
                stack.emplace_back(item, depth + 1);
        } else if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (it->first.IsScalar())
                    repairScalar(it->first);
                else
                    stack.emplace_back(it->first, depth + 1);
                stack.emplace_back(it->second, depth + 1);
            }
        }
    }
    return true;
}

namespace {

class IgnoreEvents final : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark &) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override {}
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
    }
    void OnMapEnd() override {}
};

// yaml-cpp 0.7 never ends YAML::LoadAll on a comma outside any flow
// collection where a node could start ("{a: 1},", ", a", "- a\n,"): it
// returns empty documents forever (found by fuzzing). Only text with a line
// that starts (after spaces) with one of {["', can do that; for such text,
// count the documents first: there cannot be more than the separators allow.
Result<bool> checkDocumentsEnd(std::string_view text, const std::string &fileName)
{
    std::size_t separators = 0, flowRoots = 0, line = 0, firstFlowRoot = 0;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view l = text.substr(start, end - start);
        ++line;
        if (l.substr(0, 3) == "---" || l.substr(0, 3) == "...")
            ++separators;
        const std::size_t first = l.find_first_not_of(' ');
        if (first != std::string_view::npos &&
            std::string_view("{[\"',").find(l[first]) != std::string_view::npos && !flowRoots++)
            firstFlowRoot = line;
        start = end + 1;
    }
    if (flowRoots == 0)
        return true;
    std::string copy(text);
    std::istringstream in(copy);
    YAML::Parser parser(in);
    IgnoreEvents ignore;
    for (std::size_t documents = 0; parser.HandleNextDocument(ignore);)
        if (++documents > separators + 1) {
            Error e{
                "a ',' outside any [...] or {...} where YAML expects a value (e.g. after the closing '}' of "
                "the document), which the YAML parser cannot get past",
                {}};
            e.where.file = fileName;
            e.where.line = static_cast<int>(firstFlowRoot);
            return e;
        }
    return true;
}

} // namespace

Result<std::vector<YAML::Node>> parseYamlDocuments(std::string_view text, const std::string &fileName)
{
    if (auto utf8 = checkUtf8File(text, fileName); !utf8.ok())
        return utf8.error();
    try {
        if (auto ends = checkDocumentsEnd(text, fileName); !ends.ok())
            return ends.error();
        std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
        for (YAML::Node &doc : docs)
            if (auto r = checkYamlTree(doc, fileName); !r.ok())
                return r.error();
        return docs;
    } catch (const YAML::Exception &e) {
        Error error;
        error.message = e.msg;
        error.where.file = fileName;
        error.where.line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
        error.where.column = e.mark.column >= 0 ? e.mark.column + 1 : 0;
        return error;
    }
}

std::string jsonToYaml(const nlohmann::json &value) { return YamlWriter<nlohmann::json>().write(value); }

std::string jsonToYaml(const nlohmann::json &value, const YamlKeyOrder &order)
{
    return YamlWriter<nlohmann::json>(&order).write(value);
}

std::string jsonToYaml(const nlohmann::ordered_json &value)
{
    return YamlWriter<nlohmann::ordered_json>().write(value);
}

Result<std::string> readTextFile(const std::string &path)
{
    auto failure = [&](const char *message) {
        Error error;
        error.message = message;
        error.where.file = path;
        return error;
    };
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return failure("cannot open file");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return failure("cannot read file");
    return text;
}

} // namespace pw
