#include "neurolens/data/Responses.h"

#include "neurolens/jobs/Parallel.h"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace neurolens {

void adviseHugePages(void* p, std::size_t bytes) noexcept
{
    constexpr std::size_t kHuge = std::size_t(2) << 20;
    if (p == nullptr || bytes < 16 * kHuge) return;
    // The whole huge pages inside the block (madvise wants a page-aligned start).
    const std::size_t head = (kHuge - reinterpret_cast<std::uintptr_t>(p) % kHuge) % kHuge;
    const std::size_t length = (bytes - head) / kHuge * kHuge;
#ifdef MADV_HUGEPAGE
    if (length > 0) ::madvise(static_cast<char*>(p) + head, length, MADV_HUGEPAGE);  // advice only
#endif
}

Responses::Responses(int repeats, int bins, int units, int binsPerFrame, double binRateHz)
    : repeats_(repeats),
      bins_(bins),
      units_(units),
      binsPerFrame_(binsPerFrame),
      binRateHz_(binRateHz)
{
    if (repeats < 0 || bins < 0 || units < 0 || binsPerFrame < 1)
        throw std::invalid_argument("Responses: negative size or bins per frame < 1");
    values_.resize(std::size_t(repeats) * bins * units);
    float* v = values_.data();
    const auto n = std::int64_t(values_.size());
    if (n < (std::int64_t(1) << 20)) {
        std::fill(v, v + n, 0.0f);
        return;
    }
    parallelForChunks(n, 16,
                      [v](int, std::int64_t a, std::int64_t b) { std::fill(v + a, v + b, 0.0f); });
}

Responses Responses::unset(int repeats, int bins, int units, int binsPerFrame, double binRateHz)
{
    Responses r(0, 0, 0, binsPerFrame, binRateHz);
    r.repeats_ = repeats, r.bins_ = bins, r.units_ = units;
    if (repeats < 0 || bins < 0 || units < 0)
        throw std::invalid_argument("Responses: negative size");
    r.values_.resize(std::size_t(repeats) * bins * units);
    return r;
}

Eigen::Map<const RowMatrixXf> Responses::sampleMatrix() const
{
    return {values_.data(), Eigen::Index(samples()), units_};
}

Eigen::Map<RowMatrixXf> Responses::sampleMatrix()
{
    return {values_.data(), Eigen::Index(samples()), units_};
}

Eigen::Map<const RowMatrixXf> Responses::repeat(int r) const
{
    return {values_.data() + std::size_t(r) * bins_ * units_, bins_, units_};
}

bool Responses::isCountLike() const
{
    // Branch-free and on every core: a whole number in range converts to int and back unchanged
    // (anything else, NaN included, is replaced by 0.5, which does not).
    constexpr int kChunks = 32;
    std::array<char, kChunks> ok{};
    parallelForChunks(std::int64_t(values_.size()), kChunks,
                      [&](int c, std::int64_t a, std::int64_t b) {
                          bool all = true;
                          for (std::int64_t i = a; i < b; ++i) {
                              const float v = values_[std::size_t(i)];
                              const float w = v >= 0.0f && v <= 65535.0f ? v : 0.5f;
                              all &= float(int(w)) == w;
                          }
                          ok[std::size_t(c)] = all;
                      });
    return std::all_of(ok.begin(), ok.end(), [](char c) { return c != 0; });
}

}  // namespace neurolens
