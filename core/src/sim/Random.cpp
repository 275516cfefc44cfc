#include "neurolens/sim/Random.h"

#include <cmath>

namespace neurolens {
namespace {
std::uint64_t splitmix64(std::uint64_t& x)
{
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}
}  // namespace

Random::Random(std::uint64_t seed) : seed_(seed)
{
    std::uint64_t x = seed;
    for (auto& s : s_) s = splitmix64(x);
}

std::uint64_t Random::next()
{
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::uint64_t Random::below(std::uint64_t n)
{
    // Lemire's nearly-divisionless method, exact (no modulo bias).
    __uint128_t m = __uint128_t(next()) * n;
    auto low = std::uint64_t(m);
    if (low < n) {
        const std::uint64_t threshold = -n % n;
        while (low < threshold) {
            m = __uint128_t(next()) * n;
            low = std::uint64_t(m);
        }
    }
    return std::uint64_t(m >> 64);
}

double Random::normal()
{
    if (hasSpare_) {
        hasSpare_ = false;
        return spare_;
    }
    double u, v, s;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * f;
    hasSpare_ = true;
    return u * f;
}

std::uint32_t Random::poisson(double lambda)
{
    if (!(lambda > 0.0)) return 0;
    if (lambda < 12.0) {
        // Inversion by sequential search: exact and fast for the small means of 120 Hz bins.
        double p = std::exp(-lambda), cdf = p, u = uniform();
        std::uint32_t k = 0;
        while (u > cdf && k < 1000) {
            ++k;
            p *= lambda / k;
            cdf += p;
        }
        return k;
    }
    // Hörmann's PTRS (transformed rejection with squeeze), 1993.
    const double slam = std::sqrt(lambda), loglam = std::log(lambda);
    const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
    while (true) {
        const double u = uniform() - 0.5, v = uniform();
        const double us = 0.5 - std::fabs(u);
        const double k = std::floor((2 * a / us + b) * u + lambda + 0.43);
        if (us >= 0.07 && v <= vr) return std::uint32_t(k);
        if (k < 0 || (us < 0.013 && v > us)) continue;
        if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
            -lambda + k * loglam - std::lgamma(k + 1))
            return std::uint32_t(k);
    }
}

Random Random::split(std::uint64_t k) const
{
    std::uint64_t x = seed_ ^ (0xd1b54a32d192ed03ULL * (k + 1));
    return Random(splitmix64(x));
}

}  // namespace neurolens
