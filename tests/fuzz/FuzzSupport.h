#pragma once
// What every fuzz target shares: inputs written to a private temporary folder (readers take
// paths), and the readers' contract checked on every input: a neurolens::Error (a refusal naming
// the file and the problem) or a result, never another exception, a crash or undefined behaviour
// (the sanitizers report those).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace neurolens::fuzz {

// Once per process: HDF5's error printing off, NEUROLENS_MAX_MEMORY set (so that a declared size
// beyond it is refused, not allocated), the temporary folder made.
void initialise();
// The private folder (removed at exit).
const std::string& folder();
// Writes bytes to folder()/name and returns the path.
std::string writeFile(const std::string& name, const std::uint8_t* data, std::size_t size);
// Runs `read`; a neurolens::Error is a refusal and fine, any other exception aborts with its text.
void expectResultOrRefusal(const char* what, const std::function<void()>& read);

}  // namespace neurolens::fuzz
