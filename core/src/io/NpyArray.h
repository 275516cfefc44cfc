#pragma once
// NumPy .npy arrays (format versions 1-3), parsed from bytes: dtype, shape, C or Fortran order.
// Private to core/io; used for movie templates (Allen's natural_movie_1.h5 is really an .npy) and
// for per-frame features (.npy and the members of .npz).

#include <cstdint>
#include <string>
#include <vector>

namespace neurolens::npy {

struct Array {
    char kind = 0;     // 'f' float, 'i' signed, 'u' unsigned, 'b' bool
    int itemSize = 0;  // bytes
    bool fortranOrder = false;
    std::vector<std::uint64_t> shape;
    std::vector<char> data;  // raw little-endian values

    std::uint64_t elements() const;
    // Values converted to double, in C (row-major) order whatever the file's order.
    std::vector<double> values() const;
    std::string describe() const;  // e.g. "float32 [900, 768]"
};

bool hasMagic(const std::vector<char>& bytes);
// Throws std::runtime_error with a sentence when the bytes are not a supported .npy array.
Array parse(const std::vector<char>& bytes);
// Reads an .npy file, its data straight into the array (one copy of a large file, not two).
Array readFile(const std::string& path);
// Only its dtype and shape (no data), and where the data start in the file.
Array readFileHeader(const std::string& path, std::uint64_t& dataStart);

}  // namespace neurolens::npy
