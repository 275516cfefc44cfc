#include "neurolens/data/Memory.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

namespace neurolens {
namespace {

// A byte count with an optional K, M, G or T suffix (powers of 1024); 0 when unreadable.
std::uint64_t parseBytes(const std::string& text)
{
    if (text.empty()) return 0;
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || errno == ERANGE || !(value > 0)) return 0;
    double scale = 1;
    switch (*end) {
        case 'K':
        case 'k':
            scale = 1024.0;
            ++end;
            break;
        case 'M':
        case 'm':
            scale = 1024.0 * 1024;
            ++end;
            break;
        case 'G':
        case 'g':
            scale = 1024.0 * 1024 * 1024;
            ++end;
            break;
        case 'T':
        case 't':
            scale = 1024.0 * 1024 * 1024 * 1024;
            ++end;
            break;
        default:
            break;
    }
    if (*end == 'B' || *end == 'b') ++end;
    if (*end != '\0') return 0;
    const double bytes = value * scale;
    return bytes >= 1.8e19 ? std::numeric_limits<std::uint64_t>::max() : std::uint64_t(bytes);
}

std::uint64_t fileBytes(const char* path)
{
    std::ifstream in(path);
    std::string text;
    if (!(in >> text) || text == "max") return 0;
    return parseBytes(text);
}

MemoryLimit measure()
{
    MemoryLimit limit{std::numeric_limits<std::uint64_t>::max(), true, "this machine's memory"};
    const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && size > 0) limit.bytes = std::uint64_t(pages) * std::uint64_t(size);
    for (const char* cgroup :
         {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        const std::uint64_t b = fileBytes(cgroup);
        if (b > 0 && b < limit.bytes) limit = {b, false, "the cgroup's memory limit"};
    }
    if (const char* env = std::getenv("NEUROLENS_MAX_MEMORY")) {
        const std::uint64_t b = parseBytes(env);
        if (b > 0 && b < limit.bytes) limit = {b, false, "NEUROLENS_MAX_MEMORY"};
    }
    return limit;
}

}  // namespace

const MemoryLimit& memoryLimit()
{
    static const MemoryLimit limit = measure();
    return limit;
}

std::string formatBytes(double bytes)
{
    std::ostringstream text;
    text.precision(3);
    if (bytes >= 1e12)
        text << bytes / 1e12 << " TB";
    else if (bytes >= 1e9)
        text << bytes / 1e9 << " GB";
    else if (bytes >= 1e6)
        text << bytes / 1e6 << " MB";
    else
        text << bytes << " bytes";
    return text.str();
}

}  // namespace neurolens
