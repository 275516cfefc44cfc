#pragma once
// A small, fully specified random number generator (xoshiro256** seeded through splitmix64) with
// its own uniform, normal and Poisson draws. The standard library's distributions are
// implementation- defined; these give the same numbers on every platform and compiler, so a seed
// names one session.

#include <cstdint>

namespace neurolens {

class Random {
public:
    explicit Random(std::uint64_t seed);

    std::uint64_t next();
    // Uniform in [0, 1).
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [0, n).
    std::uint64_t below(std::uint64_t n);
    double normal();
    double normal(double mean, double sd) { return mean + sd * normal(); }
    // Poisson with mean lambda >= 0 (inversion for small means, PTRS rejection for large ones).
    std::uint32_t poisson(double lambda);
    // An independent generator for stream `k` (e.g. one per unit), reproducible from this one's
    // seed.
    Random split(std::uint64_t k) const;

private:
    std::uint64_t s_[4];
    std::uint64_t seed_;
    double spare_ = 0;
    bool hasSpare_ = false;
};

}  // namespace neurolens
