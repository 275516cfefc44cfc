#pragma once
// How much memory this process may use: the least of the machine's physical memory, the cgroup's
// limit (a Slurm job's --mem, a container's limit) and NEUROLENS_MAX_MEMORY (bytes, or with a K, M,
// G or T suffix). Readers refuse a declared size beyond it before allocating anything.

#include <cstdint>
#include <string>

namespace neurolens {

struct MemoryLimit {
    std::uint64_t bytes = 0;
    bool physical = true;  // the machine's memory itself, not a limit set below it
    // "this machine's memory", "the cgroup's memory limit" or "NEUROLENS_MAX_MEMORY"
    std::string what;
};

// Read once per process.
const MemoryLimit& memoryLimit();

// "N bytes", "N MB", "N GB" or "N TB", three significant digits.
std::string formatBytes(double bytes);

}  // namespace neurolens
