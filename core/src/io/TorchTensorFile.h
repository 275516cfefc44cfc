#pragma once
// A tensor saved with torch.save, read with LibTorch's pickle loader (private to core/io; the only
// translation unit that includes LibTorch). Without LibTorch the functions say so.

#include <cstdint>
#include <string>
#include <vector>

namespace neurolens::torchfile {

bool available();
// The tensor's values as float, row-major, and its shape. Throws std::runtime_error.
std::vector<float> read(const std::vector<char>& bytes, std::vector<std::int64_t>& shape);

}  // namespace neurolens::torchfile
