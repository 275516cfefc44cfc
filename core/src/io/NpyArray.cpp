#include "NpyArray.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

namespace neurolens::npy {
namespace {

std::string field(const std::string& header, const std::string& key)
{
    const auto at = header.find("'" + key + "'");
    if (at == std::string::npos) throw std::runtime_error("the .npy header has no '" + key + "'");
    auto begin = header.find(':', at) + 1;
    while (begin < header.size() && header[begin] == ' ') ++begin;
    if (header[begin] == '(') return header.substr(begin + 1, header.find(')', begin) - begin - 1);
    if (header[begin] == '\'')
        return header.substr(begin + 1, header.find('\'', begin + 1) - begin - 1);
    return header.substr(begin, header.find_first_of(",}", begin) - begin);
}

template <typename T>
double load(const char* p)
{
    T v;
    std::memcpy(&v, p, sizeof(T));
    return double(v);
}

}  // namespace

bool hasMagic(const std::vector<char>& bytes)
{
    return bytes.size() >= 10 && std::memcmp(bytes.data(), "\x93NUMPY", 6) == 0;
}

std::uint64_t Array::elements() const
{
    std::uint64_t n = 1;
    for (auto d : shape) {
        if (d != 0 && n > (std::uint64_t(1) << 62) / d)
            throw std::runtime_error("the .npy shape " + describe() + " is too large");
        n *= d;
    }
    return n;
}

std::string Array::describe() const
{
    std::string s = std::string(kind == 'f'   ? "float"
                                : kind == 'u' ? "uint"
                                : kind == 'b' ? "bool"
                                              : "int") +
                    std::to_string(8 * itemSize) + " [";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

namespace {

// The header of an .npy held in bytes[0, size): the array's dtype and shape into `a` (no data);
// returns where the data start and how many bytes they take.
std::pair<std::size_t, std::uint64_t> parseHeader(const char* bytes, std::size_t size, Array& a)
{
    if (size < 10 || std::memcmp(bytes, "\x93NUMPY", 6) != 0)
        throw std::runtime_error("not a NumPy .npy array");
    const int major = static_cast<unsigned char>(bytes[6]);
    const std::size_t lengthBytes = major == 1 ? 2 : 4;
    if (size < 8 + lengthBytes) throw std::runtime_error("truncated .npy header");
    std::uint32_t headerLength = 0;
    for (std::size_t i = 0; i < lengthBytes; ++i)
        headerLength |= std::uint32_t(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    const std::size_t start = 8 + lengthBytes + headerLength;
    if (size < start) throw std::runtime_error("truncated .npy header");
    const std::string header(bytes + 8 + lengthBytes, headerLength);
    const std::string descr = field(header, "descr");
    if (descr.size() < 3 || descr[0] == '>' || (descr[0] != '|' && descr[0] != '<'))
        throw std::runtime_error("unsupported .npy dtype '" + descr +
                                 "' (little-endian numbers only)");
    a.kind = descr[1];
    const std::string width = descr.substr(2);
    a.itemSize = width == "1" ? 1 : width == "2" ? 2 : width == "4" ? 4 : width == "8" ? 8 : 0;
    if ((a.kind != 'f' && a.kind != 'i' && a.kind != 'u' && a.kind != 'b') ||
        (a.kind == 'f' && a.itemSize != 4 && a.itemSize != 8) || a.itemSize == 0)
        throw std::runtime_error("unsupported .npy dtype '" + descr + "'");
    a.fortranOrder = field(header, "fortran_order") == "True";
    const std::string shape = field(header, "shape");
    std::size_t pos = 0;
    while (pos < shape.size()) {
        const auto end = shape.find(',', pos);
        const std::string part =
            shape.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        // One dimension: "(900", " 768)", " 3", "L" suffixes of old files; nothing else.
        std::uint64_t d = 0;
        bool digits = false, ended = false;
        for (char c : part) {
            if (c >= '0' && c <= '9' && !ended) {
                if (d > (std::uint64_t(1) << 31) / 10)
                    throw std::runtime_error("the .npy shape has a dimension beyond 2^31");
                d = d * 10 + std::uint64_t(c - '0'), digits = true;
            } else if (c == ')' || c == ' ' || c == 'L' || (c == '(' && !digits)) {
                ended = ended || digits;
            } else {
                throw std::runtime_error("the .npy header's shape is not a tuple of integers");
            }
        }
        if (d >= (std::uint64_t(1) << 31))
            throw std::runtime_error("the .npy shape has a dimension beyond 2^31");
        if (digits) a.shape.push_back(d);
        if (end == std::string::npos) break;
        pos = end + 1;
    }
    const std::uint64_t elements = a.elements();
    if (elements > (std::uint64_t(1) << 62) / std::uint64_t(a.itemSize))
        throw std::runtime_error("the .npy shape " + a.describe() + " is too large");
    return {start, elements * std::uint64_t(a.itemSize)};
}

void checkComplete(std::uint64_t available, std::uint64_t size)
{
    if (available < size)
        throw std::runtime_error("the .npy data is truncated (" + std::to_string(available) +
                                 " of " + std::to_string(size) + " bytes)");
}

}  // namespace

Array parse(const std::vector<char>& bytes)
{
    Array a;
    const auto [start, size] = parseHeader(bytes.data(), bytes.size(), a);
    checkComplete(bytes.size() - start, size);
    a.data.assign(bytes.begin() + long(start), bytes.begin() + long(start + size));
    return a;
}

Array readFileHeader(const std::string& path, std::uint64_t& dataStart)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot be opened for reading");
    in.seekg(0, std::ios::end);
    const auto fileSize = std::uint64_t(in.tellg());
    in.seekg(0);
    // The header's length is in its first 12 bytes; in practice it is a few hundred.
    std::vector<char> head(std::size_t(std::min<std::uint64_t>(fileSize, 12)));
    in.read(head.data(), std::streamsize(head.size()));
    if (head.size() >= 12 && std::memcmp(head.data(), "\x93NUMPY", 6) == 0) {
        const bool v1 = static_cast<unsigned char>(head[6]) == 1;
        std::uint64_t length = 0;
        for (std::size_t i = 0; i < (v1 ? 2u : 4u); ++i)
            length |= std::uint64_t(static_cast<unsigned char>(head[8 + i])) << (8 * i);
        head.resize(std::size_t(std::min<std::uint64_t>(fileSize, (v1 ? 10 : 12) + length)));
        in.seekg(0);
        in.read(head.data(), std::streamsize(head.size()));
    }
    Array a;
    const auto [start, size] = parseHeader(head.data(), head.size(), a);
    checkComplete(fileSize - start, size);
    dataStart = start;
    return a;
}

Array readFile(const std::string& path)
{
    std::uint64_t start = 0;
    Array a = readFileHeader(path, start);
    const std::uint64_t size = a.elements() * std::uint64_t(a.itemSize);
    std::ifstream in(path, std::ios::binary);
    a.data.resize(std::size_t(size));
    in.seekg(std::streamoff(start));
    in.read(a.data.data(), std::streamsize(size));
    if (std::uint64_t(in.gcount()) != size)
        throw std::runtime_error("the .npy data could not be read");
    return a;
}

std::vector<double> Array::values() const
{
    const std::uint64_t n = elements();
    std::vector<double> out(n);
    for (std::uint64_t i = 0; i < n; ++i) {
        const char* p = data.data() + i * std::uint64_t(itemSize);
        double v = 0;
        if (kind == 'f')
            v = itemSize == 4 ? load<float>(p) : load<double>(p);
        else if (kind == 'u' || kind == 'b')
            v = itemSize == 1   ? load<std::uint8_t>(p)
                : itemSize == 2 ? load<std::uint16_t>(p)
                : itemSize == 4 ? load<std::uint32_t>(p)
                                : load<std::uint64_t>(p);
        else
            v = itemSize == 1   ? load<std::int8_t>(p)
                : itemSize == 2 ? load<std::int16_t>(p)
                : itemSize == 4 ? load<std::int32_t>(p)
                                : load<std::int64_t>(p);
        out[i] = v;
    }
    // An empty array has nothing to reorder (and its other dimensions may be huge: a loop over them
    // would run for hours).
    if (!fortranOrder || shape.size() < 2 || n == 0) return out;
    // Fortran order: transpose into C order (2-D and 3-D are all neurolens reads).
    std::vector<double> c(n);
    const std::uint64_t d0 = shape[0], d1 = shape[1], d2 = shape.size() > 2 ? shape[2] : 1;
    for (std::uint64_t i = 0; i < d0; ++i)
        for (std::uint64_t j = 0; j < d1; ++j)
            for (std::uint64_t k = 0; k < d2; ++k)
                c[(i * d1 + j) * d2 + k] = out[i + d0 * (j + d1 * k)];
    return c;
}

}  // namespace neurolens::npy
