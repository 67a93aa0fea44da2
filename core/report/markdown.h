// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace pw {

// Text made safe inside HTML elements and attribute values.
std::string htmlEscape(std::string_view text);

// The Markdown KFP visualizations use, as safe HTML: headings, paragraphs,
// bullet and numbered lists, pipe tables, fenced code, **bold**, *italic*,
// `code` and [links](https://...) (http, https and mailto only). Everything
// is escaped first, so raw HTML in the source shows as text.
std::string markdownToHtml(std::string_view markdown);

} // namespace pw
