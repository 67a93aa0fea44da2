// SPDX-License-Identifier: Apache-2.0
#include "terminalfilter.h"

#include <cstdio>
#include <iostream>
#include <streambuf>

#include <unistd.h>

namespace pw::cli {

namespace {

// Appends `c` as the filter shows it; `pendingC2` carries a 0xC2 lead byte
// across calls, since a C1 control is 0xC2 followed by 0x80..0x9F in UTF-8.
void filterByte(unsigned char c, bool &pendingC2, std::string &out)
{
    if (pendingC2) {
        pendingC2 = false;
        if (c >= 0x80 && c <= 0x9F) {
            char buf[12];
            std::snprintf(buf, sizeof buf, "<U+%04X>", c);
            out += buf;
            return;
        }
        out += static_cast<char>(0xC2);
    }
    if (c == 0xC2) {
        pendingC2 = true;
    } else if (c == '\n' || c == '\t') {
        out += static_cast<char>(c);
    } else if (c < 0x20) {
        out += '^';
        out += static_cast<char>(c + 0x40);
    } else if (c == 0x7F) {
        out += "^?";
    } else {
        out += static_cast<char>(c);
    }
}

class FilterBuf final : public std::streambuf {
public:
    explicit FilterBuf(std::streambuf *target) : m_target(target) {}

protected:
    int_type overflow(int_type ch) override
    {
        if (traits_type::eq_int_type(ch, traits_type::eof()))
            return traits_type::not_eof(ch);
        std::string out;
        filterByte(static_cast<unsigned char>(ch), m_pendingC2, out);
        return write(out) ? ch : traits_type::eof();
    }
    std::streamsize xsputn(const char *s, std::streamsize n) override
    {
        std::string out;
        out.reserve(static_cast<std::size_t>(n));
        for (std::streamsize i = 0; i < n; ++i)
            filterByte(static_cast<unsigned char>(s[i]), m_pendingC2, out);
        return write(out) ? n : 0;
    }
    int sync() override { return m_target->pubsync(); }

private:
    bool write(const std::string &out)
    {
        return m_target->sputn(out.data(), static_cast<std::streamsize>(out.size())) ==
               static_cast<std::streamsize>(out.size());
    }

    std::streambuf *m_target;
    bool m_pendingC2 = false;
};

} // namespace

void neutraliseTerminalControls()
{
    // Installed once for the life of the process; the buffers stay valid until exit.
    if (::isatty(STDOUT_FILENO))
        std::cout.rdbuf(new FilterBuf(std::cout.rdbuf()));
    if (::isatty(STDERR_FILENO))
        std::cerr.rdbuf(new FilterBuf(std::cerr.rdbuf()));
}

} // namespace pw::cli
