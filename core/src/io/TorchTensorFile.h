#pragma once
// A tensor saved with torch.save, read with LibTorch's pickle loader behind our own checks of the
// archive and the pickle (private to core/io). The reading is in the LibTorch module
// (torch/TensorFileTorch.cpp), loaded by the first torch file.

#include <cstdint>
#include <string>
#include <vector>

namespace neurolens::torchfile {

// Whether LibTorch can be loaded (loads it).
bool available();
// The tensor's values as float, row-major, and its shape. Throws std::runtime_error.
std::vector<float> read(const std::vector<char>& bytes, std::vector<std::int64_t>& shape);
// The same, in the module itself.
std::vector<float> readWithTorch(const std::vector<char>& bytes, std::vector<std::int64_t>& shape);

}  // namespace neurolens::torchfile
