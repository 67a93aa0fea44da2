// SPDX-License-Identifier: Apache-2.0
#include "preview/yamlhighlighter.h"

namespace pw {

YamlHighlighter::YamlHighlighter(QTextDocument *document) : QSyntaxHighlighter(document)
{
    setDark(false);
}

void YamlHighlighter::setDark(bool dark)
{
    auto fmt = [](const QColor &c, bool bold = false) {
        QTextCharFormat f;
        f.setForeground(c);
        if (bold)
            f.setFontWeight(QFont::Bold);
        return f;
    };
    const QColor key = dark ? QColor(0x7f, 0xb8, 0xff) : QColor(0x1f, 0x4e, 0x9c);
    const QColor str = dark ? QColor(0xa5, 0xd6, 0x7f) : QColor(0x2e, 0x7d, 0x32);
    const QColor num = dark ? QColor(0xf7, 0x8c, 0x6c) : QColor(0xb0, 0x3a, 0x2e);
    const QColor kw = dark ? QColor(0xc7, 0x92, 0xea) : QColor(0x7b, 0x1f, 0xa2);
    const QColor comment = dark ? QColor(0x80, 0x80, 0x80) : QColor(0x75, 0x75, 0x75);
    m_rules = {
        // Order matters: later rules paint over earlier ones.
        {QRegularExpression(R"((?:^|[\s,\[{:])(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(?:$|[,\]}]))"), fmt(num), 1},
        {QRegularExpression(R"(\b(true|false|null|True|False|~)\b)"), fmt(kw), 1},
        {QRegularExpression(R"('(?:[^']|'')*'|"(?:[^"\\]|\\.)*")"), fmt(str), 0},
        {QRegularExpression(R"(^\s*(?:-\s+)?("?[\w.\-/$@{}\[\]' ]+"?)\s*:(?:\s|$))"), fmt(key, true), 1},
        {QRegularExpression(R"((?:^|\s)(#.*)$)"), fmt(comment), 1},
    };
    rehighlight();
}

void YamlHighlighter::highlightBlock(const QString &text)
{
    for (const Rule &rule : std::as_const(m_rules)) {
        auto it = rule.pattern.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            setFormat(int(m.capturedStart(rule.group)), int(m.capturedLength(rule.group)), rule.format);
        }
    }
}

} // namespace pw
