// SPDX-License-Identifier: Apache-2.0
#include "archive.h"

#include <zlib.h>

#include <cstring>

namespace pw {

namespace {

Result<std::string> gunzip(std::string_view bytes, std::size_t limit)
{
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) // 16: a gzip header
        return Error{"cannot inflate the artifact (zlib)", {}};
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
    z.avail_in = static_cast<uInt>(bytes.size());
    std::string out;
    char buffer[64 * 1024];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef *>(buffer);
        z.avail_out = sizeof buffer;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&z);
            return Error{"the artifact is not a valid gzip stream", {}};
        }
        out.append(buffer, sizeof buffer - z.avail_out);
        if (out.size() > limit) {
            inflateEnd(&z);
            return Error{"the artifact is larger than " + std::to_string(limit >> 20) + " MiB unpacked", {}};
        }
        if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0)
            break; // truncated input: keep what came
    }
    inflateEnd(&z);
    return out;
}

bool isTar(std::string_view data)
{
    return data.size() >= 512 && data.compare(257, 5, "ustar") == 0;
}

std::size_t octal(std::string_view field)
{
    std::size_t v = 0;
    for (char c : field) {
        if (c < '0' || c > '7')
            break;
        v = v * 8 + static_cast<std::size_t>(c - '0');
    }
    return v;
}

} // namespace

Result<std::string> unpackArtifact(std::string_view bytes, std::size_t limit)
{
    std::string data;
    if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b) {
        auto inflated = gunzip(bytes, limit);
        if (!inflated.ok())
            return inflated;
        data = std::move(inflated).value();
    } else {
        data.assign(bytes);
    }
    if (!isTar(data))
        return data;
    for (std::size_t at = 0; at + 512 <= data.size();) {
        const std::string_view header(data.data() + at, 512);
        if (header[0] == '\0')
            break; // the end-of-archive blocks
        const std::size_t size = octal(header.substr(124, 12));
        const char type = header[156];
        at += 512;
        if ((type == '0' || type == '\0') && at + size <= data.size())
            return data.substr(at, size);
        at += (size + 511) / 512 * 512;
    }
    return Error{"the artifact is a tar archive without a file in it", {}};
}

} // namespace pw
