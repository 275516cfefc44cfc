#pragma once
// A pickle (as torch.save writes data.pkl) walked without running it, before LibTorch's unpickler
// sees it: that unpickler allocates what a pickle declares before reading it (a string of 2 GB, a
// memo of 2^32 entries) and pops its stack unchecked. Private to core/io.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace neurolens::pickle {

// Throws std::runtime_error naming the byte where `bytes` stops being a well-formed pickle: an
// opcode LibTorch does not read, an argument or length past the end, a memo index out of the
// order pickle writes them, a pop from an empty stack or across a mark, no STOP leaving one value,
// a persistent id other than a tensor storage's. Returns the storages the pickle refers to: each
// record's name under data/ and the bytes it must hold (LibTorch reads that many, whatever the
// record holds).
std::map<std::string, std::uint64_t> check(const std::vector<char>& bytes);

}  // namespace neurolens::pickle
