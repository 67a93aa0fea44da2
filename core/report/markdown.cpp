// SPDX-License-Identifier: Apache-2.0
#include "report/markdown.h"

#include <sstream>
#include <vector>

namespace pw {

std::string htmlEscape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

namespace {

std::string trim(std::string_view s)
{
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

// Inline markup on already-escaped text.
std::string inlineHtml(std::string_view raw)
{
    const std::string text = htmlEscape(raw);
    std::string out;
    std::size_t i = 0;
    auto wrapped = [&](std::string_view marker, const char *tag) {
        if (text.compare(i, marker.size(), marker) != 0)
            return false;
        const auto end = text.find(marker, i + marker.size());
        if (end == std::string::npos || end == i + marker.size())
            return false;
        const std::string inner = text.substr(i + marker.size(), end - i - marker.size());
        out += std::string("<") + tag + ">" + inner + "</" + tag + ">";
        i = end + marker.size();
        return true;
    };
    while (i < text.size()) {
        if (wrapped("`", "code") || wrapped("**", "strong") || wrapped("*", "em"))
            continue;
        if (text[i] == '[') {
            const auto close = text.find("](", i);
            const auto end = close == std::string::npos ? close : text.find(')', close + 2);
            if (end != std::string::npos) {
                const std::string label = text.substr(i + 1, close - i - 1);
                const std::string url = text.substr(close + 2, end - close - 2);
                if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 || url.rfind("mailto:", 0) == 0) {
                    out += "<a href=\"" + url + "\">" + label + "</a>";
                    i = end + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

std::vector<std::string> tableCells(const std::string &line)
{
    std::string s = trim(line);
    if (!s.empty() && s.front() == '|')
        s.erase(0, 1);
    if (!s.empty() && s.back() == '|')
        s.pop_back();
    std::vector<std::string> cells;
    std::string cell;
    for (char c : s) {
        if (c == '|') {
            cells.push_back(trim(cell));
            cell.clear();
        } else {
            cell += c;
        }
    }
    cells.push_back(trim(cell));
    return cells;
}

bool isSeparatorRow(const std::string &line)
{
    const std::string s = trim(line);
    return !s.empty() && s.find_first_not_of("|-: ") == std::string::npos && s.find('-') != std::string::npos;
}

} // namespace

std::string markdownToHtml(std::string_view markdown)
{
    std::vector<std::string> lines;
    std::istringstream in{std::string(markdown)};
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    std::string out;
    std::string paragraph;
    auto flushParagraph = [&] {
        if (!paragraph.empty())
            out += "<p>" + inlineHtml(paragraph) + "</p>\n";
        paragraph.clear();
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string line = trim(lines[i]);
        if (line.empty()) {
            flushParagraph();
            continue;
        }
        if (line.rfind("```", 0) == 0) {
            flushParagraph();
            out += "<pre><code>";
            for (++i; i < lines.size() && trim(lines[i]).rfind("```", 0) != 0; ++i)
                out += htmlEscape(lines[i]) + "\n";
            out += "</code></pre>\n";
            continue;
        }
        if (line.front() == '#') {
            flushParagraph();
            std::size_t level = line.find_first_not_of('#');
            if (level != std::string::npos && level <= 6 && line[level] == ' ') {
                const std::string tag = "h" + std::to_string(level);
                out += "<" + tag + ">" + inlineHtml(trim(line.substr(level))) + "</" + tag + ">\n";
                continue;
            }
        }
        if (line.front() == '|' && i + 1 < lines.size() && isSeparatorRow(lines[i + 1])) {
            flushParagraph();
            out += "<table><thead><tr>";
            for (const std::string &c : tableCells(line))
                out += "<th>" + inlineHtml(c) + "</th>";
            out += "</tr></thead><tbody>\n";
            for (i += 2; i < lines.size() && trim(lines[i]).rfind('|', 0) == 0; ++i) {
                out += "<tr>";
                for (const std::string &c : tableCells(lines[i]))
                    out += "<td>" + inlineHtml(c) + "</td>";
                out += "</tr>\n";
            }
            --i;
            out += "</tbody></table>\n";
            continue;
        }
        const bool bullet = line.size() > 1 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ';
        const auto dot = line.find(". ");
        const bool numbered = dot != std::string::npos && dot > 0 && line.find_first_not_of("0123456789") == dot;
        if (bullet || numbered) {
            flushParagraph();
            const char *tag = bullet ? "ul" : "ol";
            out += std::string("<") + tag + ">\n";
            for (; i < lines.size(); ++i) {
                const std::string item = trim(lines[i]);
                const auto d = item.find(". ");
                const bool isBullet = item.size() > 1 && (item[0] == '-' || item[0] == '*' || item[0] == '+') &&
                                      item[1] == ' ';
                const bool isNumber = d != std::string::npos && d > 0 && item.find_first_not_of("0123456789") == d;
                if (bullet ? !isBullet : !isNumber)
                    break;
                out += "<li>" + inlineHtml(trim(item.substr(bullet ? 2 : d + 2))) + "</li>\n";
            }
            --i;
            out += std::string("</") + tag + ">\n";
            continue;
        }
        if (!paragraph.empty())
            paragraph += ' ';
        paragraph += line;
    }
    flushParagraph();
    return out;
}

} // namespace pw
