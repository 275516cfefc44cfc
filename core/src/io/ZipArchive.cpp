#include "ZipArchive.h"

#include "neurolens/data/Memory.h"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace neurolens::zip {
namespace {

std::uint32_t u32(const std::vector<char>& b, std::size_t at)
{
    if (at + 4 > b.size()) throw std::runtime_error("damaged zip archive");
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v |= std::uint32_t(static_cast<unsigned char>(b[at + std::size_t(i)])) << (8 * i);
    return v;
}

std::uint16_t u16(const std::vector<char>& b, std::size_t at)
{
    if (at + 2 > b.size()) throw std::runtime_error("damaged zip archive");
    return std::uint16_t(static_cast<unsigned char>(b[at]) |
                         (static_cast<unsigned char>(b[at + 1]) << 8));
}

struct Entry {
    std::string name;
    std::uint16_t method = 0;
    std::uint32_t compressed = 0, size = 0, offset = 0;
};

std::vector<Entry> directory(const std::vector<char>& b)
{
    if (b.size() < 22) throw std::runtime_error("not a zip archive");
    std::size_t eocd = b.size() - 22;
    while (true) {
        if (u32(b, eocd) == 0x06054b50) break;
        if (eocd == 0 || b.size() - eocd > 22 + 65535)
            throw std::runtime_error("zip archive without a directory");
        --eocd;
    }
    const std::uint16_t count = u16(b, eocd + 10);
    std::size_t at = u32(b, eocd + 16);
    std::vector<Entry> entries;
    for (int i = 0; i < count; ++i) {
        if (u32(b, at) != 0x02014b50) throw std::runtime_error("damaged zip directory");
        Entry e;
        e.method = u16(b, at + 10);
        e.compressed = u32(b, at + 20);
        e.size = u32(b, at + 24);
        const std::uint16_t nameLength = u16(b, at + 28), extra = u16(b, at + 30),
                            comment = u16(b, at + 32);
        e.offset = u32(b, at + 42);
        if (at + 46 + nameLength > b.size()) throw std::runtime_error("damaged zip directory");
        e.name.assign(b.data() + at + 46, nameLength);
        entries.push_back(e);
        at += 46 + std::size_t(nameLength) + extra + comment;
    }
    return entries;
}

}  // namespace

bool hasMagic(const std::vector<char>& bytes)
{
    return bytes.size() >= 4 && std::memcmp(bytes.data(), "PK\x03\x04", 4) == 0;
}

std::vector<std::string> names(const std::vector<char>& archive)
{
    std::vector<std::string> out;
    for (const auto& e : directory(archive)) out.push_back(e.name);
    return out;
}

std::vector<char> extract(const std::vector<char>& b, const std::string& name)
{
    for (const auto& e : directory(b)) {
        if (e.name != name) continue;
        if (u32(b, e.offset) != 0x04034b50) throw std::runtime_error("damaged zip entry " + name);
        const std::size_t data =
            e.offset + 30 + std::size_t(u16(b, e.offset + 26)) + u16(b, e.offset + 28);
        if (data + e.compressed > b.size()) throw std::runtime_error("truncated zip entry " + name);
        if (e.method == 0) {
            if (e.size != e.compressed)
                throw std::runtime_error("damaged zip entry " + name +
                                         " (stored, yet its two sizes differ)");
            return std::vector<char>(b.begin() + long(data), b.begin() + long(data + e.size));
        }
        if (e.method != 8)
            throw std::runtime_error("zip entry " + name + " uses an unsupported compression");
        // Deflate expands at most about 1 032 times: a larger size is a damaged directory, and
        // nothing is allocated for it.
        if (std::uint64_t(e.size) > std::uint64_t(e.compressed) * 1032 + 1024 ||
            e.size > memoryLimit().bytes)
            throw std::runtime_error("damaged zip entry " + name + " (it claims to inflate to " +
                                     std::to_string(e.size) + " bytes from " +
                                     std::to_string(e.compressed) + ")");
        std::vector<char> out(e.size);
        z_stream z{};
        if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw std::runtime_error("zlib failed");
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(b.data() + data));
        z.avail_in = e.compressed;
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = e.size;
        const int status = inflate(&z, Z_FINISH);
        inflateEnd(&z);
        if (status != Z_STREAM_END)
            throw std::runtime_error("zip entry " + name + " does not inflate");
        return out;
    }
    throw std::runtime_error("no entry '" + name + "' in the archive");
}

}  // namespace neurolens::zip
