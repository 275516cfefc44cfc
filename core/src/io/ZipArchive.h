#pragma once
// Reads the members of a .zip archive (as NumPy's .npz and PyTorch's torch.save files are): stored
// or deflated entries, no ZIP64. Private to core/io.

#include <string>
#include <vector>

namespace neurolens::zip {

bool hasMagic(const std::vector<char>& bytes);
// Member names in archive order. Throws std::runtime_error for a damaged archive.
std::vector<std::string> names(const std::vector<char>& archive);
std::vector<char> extract(const std::vector<char>& archive, const std::string& name);

}  // namespace neurolens::zip
