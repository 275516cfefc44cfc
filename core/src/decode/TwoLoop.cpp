#include "TwoLoop.h"

#include "linalg/Cpu.h"

#include "linalg/SparseHalf.h"
#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <stdexcept>
#include <utility>

#if NEUROLENS_X86_KERNELS
#include <immintrin.h>
#define NEUROLENS_TWOLOOP_X86 1
#endif

namespace neurolens {
namespace {

// The power of two that brings the largest |value| to [2^14, 2^15): every entry then keeps half
// precision's 11 bits (below 2^-14 of it, fewer).
double halfScale(double largest)
{
    if (!(largest > 0) || !std::isfinite(largest)) return 1.0;
    int exponent = 0;
    std::frexp(largest, &exponent);
    return std::ldexp(1.0, exponent - 15);
}

// The portable kernels: sums in double of products of halves (exact in float) and doubles.
double dotHalfDoublePortable(const std::uint16_t* a, const double* b, Eigen::Index n)
{
    double sum = 0;
    for (Eigen::Index i = 0; i < n; ++i) sum += double(fromHalf(a[i])) * b[i];
    return sum;
}

double dotHalfHalfPortable(const std::uint16_t* a, const std::uint16_t* b, Eigen::Index n)
{
    double sum = 0;
    for (Eigen::Index i = 0; i < n; ++i) sum += double(fromHalf(a[i]) * fromHalf(b[i]));
    return sum;
}

void addHalvesPortable(double* d, double p, const std::uint16_t* u, double q,
                       const std::uint16_t* v, Eigen::Index n)
{
    for (Eigen::Index i = 0; i < n; ++i)
        d[i] += p * double(fromHalf(u[i])) + q * double(fromHalf(v[i]));
}

// s = half(t D / sScale), y = half((g - gPrevious) / yScale); returns sum s y and sum y y of the
// halves.
std::pair<double, double> roundPairPortable(double t, const double* D, const double* g,
                                            const double* gPrevious, double sInverse,
                                            double yInverse, std::uint16_t* s, std::uint16_t* y,
                                            Eigen::Index n)
{
    double sy = 0, yy = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        s[i] = toHalf(float(t * D[i] * sInverse));
        y[i] = toHalf(float((g[i] - gPrevious[i]) * yInverse));
        const float hs = fromHalf(s[i]), hy = fromHalf(y[i]);
        sy += double(hs * hy);
        yy += double(hy * hy);
    }
    return {sy, yy};
}

#ifdef NEUROLENS_TWOLOOP_X86
// The same with F16C (eight halves at a time), AVX2 and FMA; the tails through the portable loops.
bool haveF16c()
{
    return cpu::avx2Fma() && cpu::f16c();
}

__attribute__((target("avx2,fma,f16c"))) inline __m256 loadHalves(const std::uint16_t* h)
{
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h)));
}

__attribute__((target("avx2,fma,f16c"))) inline double sum4(__m256d v)
{
    const __m128d h = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
}

__attribute__((target("avx2,fma,f16c"))) double dotHalfDoubleF16c(const std::uint16_t* a,
                                                                  const double* b, Eigen::Index n)
{
    __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
    Eigen::Index i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 f = loadHalves(a + i);
        lo =
            _mm256_fmadd_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(f)), _mm256_loadu_pd(b + i), lo);
        hi = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)),
                             _mm256_loadu_pd(b + i + 4), hi);
    }
    return sum4(_mm256_add_pd(lo, hi)) + dotHalfDoublePortable(a + i, b + i, n - i);
}

__attribute__((target("avx2,fma,f16c"))) double dotHalfHalfF16c(const std::uint16_t* a,
                                                                const std::uint16_t* b,
                                                                Eigen::Index n)
{
    __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
    Eigen::Index i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 f =
            _mm256_mul_ps(loadHalves(a + i), loadHalves(b + i));  // exact: 22 significant bits
        lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(f)));
        hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
    }
    return sum4(_mm256_add_pd(lo, hi)) + dotHalfHalfPortable(a + i, b + i, n - i);
}

__attribute__((target("avx2,fma,f16c"))) void addHalvesF16c(double* d, double p,
                                                            const std::uint16_t* u, double q,
                                                            const std::uint16_t* v, Eigen::Index n)
{
    const __m256d pv = _mm256_set1_pd(p), qv = _mm256_set1_pd(q);
    Eigen::Index i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 fu = loadHalves(u + i), fv = loadHalves(v + i);
        for (int h = 0; h < 2; ++h) {
            const __m256d du =
                _mm256_cvtps_pd(h ? _mm256_extractf128_ps(fu, 1) : _mm256_castps256_ps128(fu));
            const __m256d dv =
                _mm256_cvtps_pd(h ? _mm256_extractf128_ps(fv, 1) : _mm256_castps256_ps128(fv));
            double* at = d + i + 4 * std::ptrdiff_t(h);
            _mm256_storeu_pd(at,
                             _mm256_fmadd_pd(qv, dv, _mm256_fmadd_pd(pv, du, _mm256_loadu_pd(at))));
        }
    }
    addHalvesPortable(d + i, p, u + i, q, v + i, n - i);
}

__attribute__((target("avx2,fma,f16c"))) inline __m128i toHalves(__m256d lo, __m256d hi)
{
    const __m256 f =
        _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(lo)), _mm256_cvtpd_ps(hi), 1);
    return _mm256_cvtps_ph(f, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

__attribute__((target("avx2,fma,f16c"))) std::pair<double, double> roundPairF16c(
    double t, const double* D, const double* g, const double* gPrevious, double sInverse,
    double yInverse, std::uint16_t* s, std::uint16_t* y, Eigen::Index n)
{
    const __m256d ts = _mm256_set1_pd(t * sInverse), yi = _mm256_set1_pd(yInverse);
    __m256d sy = _mm256_setzero_pd(), yy = _mm256_setzero_pd();
    Eigen::Index i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m128i hs = toHalves(_mm256_mul_pd(ts, _mm256_loadu_pd(D + i)),
                                    _mm256_mul_pd(ts, _mm256_loadu_pd(D + i + 4)));
        const __m128i hy = toHalves(
            _mm256_mul_pd(yi,
                          _mm256_sub_pd(_mm256_loadu_pd(g + i), _mm256_loadu_pd(gPrevious + i))),
            _mm256_mul_pd(
                yi, _mm256_sub_pd(_mm256_loadu_pd(g + i + 4), _mm256_loadu_pd(gPrevious + i + 4))));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(s + i), hs);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), hy);
        const __m256 fs = _mm256_cvtph_ps(hs), fy = _mm256_cvtph_ps(hy);
        const __m256 pSy = _mm256_mul_ps(fs, fy), pYy = _mm256_mul_ps(fy, fy);  // exact
        sy = _mm256_add_pd(sy, _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(pSy)),
                                             _mm256_cvtps_pd(_mm256_extractf128_ps(pSy, 1))));
        yy = _mm256_add_pd(yy, _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(pYy)),
                                             _mm256_cvtps_pd(_mm256_extractf128_ps(pYy, 1))));
    }
    const auto [tailSy, tailYy] =
        roundPairPortable(t, D + i, g + i, gPrevious + i, sInverse, yInverse, s + i, y + i, n - i);
    return {sum4(sy) + tailSy, sum4(yy) + tailYy};
}
#endif

double dotHalfDouble(const std::uint16_t* a, const double* b, Eigen::Index n)
{
#ifdef NEUROLENS_TWOLOOP_X86
    if (haveF16c()) return dotHalfDoubleF16c(a, b, n);
#endif
    return dotHalfDoublePortable(a, b, n);
}

double dotHalfHalf(const std::uint16_t* a, const std::uint16_t* b, Eigen::Index n)
{
#ifdef NEUROLENS_TWOLOOP_X86
    if (haveF16c()) return dotHalfHalfF16c(a, b, n);
#endif
    return dotHalfHalfPortable(a, b, n);
}

void addHalves(double* d, double p, const std::uint16_t* u, double q, const std::uint16_t* v,
               Eigen::Index n)
{
#ifdef NEUROLENS_TWOLOOP_X86
    if (haveF16c()) return addHalvesF16c(d, p, u, q, v, n);
#endif
    addHalvesPortable(d, p, u, q, v, n);
}

std::pair<double, double> roundPair(double t, const double* D, const double* g,
                                    const double* gPrevious, double sInverse, double yInverse,
                                    std::uint16_t* s, std::uint16_t* y, Eigen::Index n)
{
#ifdef NEUROLENS_TWOLOOP_X86
    if (haveF16c()) return roundPairF16c(t, D, g, gPrevious, sInverse, yInverse, s, y, n);
#endif
    return roundPairPortable(t, D, g, gPrevious, sInverse, yInverse, s, y, n);
}

constexpr int kAddChunks = 16, kApplyChunks = 64;

}  // namespace

TwoLoop::TwoLoop(Eigen::Index size, int memory)
    : size_(size),
      memory_(memory),
      sy_(Eigen::MatrixXd::Zero(memory, memory)),
      yy_(sy_),
      sg_(memory),
      yg_(memory)
{
    if (memory < 1 || memory > kMaxMemory)
        throw std::invalid_argument("TwoLoop: memory must be 1 to 64 pairs");
}

void TwoLoop::reset()
{
    count_ = next_ = 0;
    pending_ = -1;
}

void TwoLoop::add(double t, const Eigen::VectorXd& D, const Eigen::VectorXd& g,
                  const Eigen::VectorXd& gPrevious)
{
    // The largest entries (for the scales), then the pair rounded into the spare vectors.
    std::array<double, kAddChunks> largestS{}, largestY{};
    parallelForChunks(size_, kAddChunks, [&](int c, Eigen::Index a, Eigen::Index b) {
        double ms = 0, my = 0;
        for (Eigen::Index i = a; i < b; ++i) {
            ms = std::max(ms, std::abs(D[i]));
            my = std::max(my, std::abs(g[i] - gPrevious[i]));
        }
        largestS[std::size_t(c)] = ms;
        largestY[std::size_t(c)] = my;
    });
    spareS_.scale = halfScale(std::abs(t) * *std::max_element(largestS.begin(), largestS.end()));
    spareY_.scale = halfScale(*std::max_element(largestY.begin(), largestY.end()));
    for (Half* h : {&spareS_, &spareY_}) h->half.resize(std::size_t(size_));
    std::array<double, kAddChunks> partSy{}, partYy{};
    parallelForChunks(size_, kAddChunks, [&](int c, Eigen::Index a, Eigen::Index b) {
        const auto [sy, yy] =
            roundPair(t, D.data() + a, g.data() + a, gPrevious.data() + a, 1.0 / spareS_.scale,
                      1.0 / spareY_.scale, spareS_.half.data() + a, spareY_.half.data() + a, b - a);
        partSy[std::size_t(c)] = sy;
        partYy[std::size_t(c)] = yy;
    });
    const double units = spareS_.scale * spareY_.scale;
    const double sy = units * std::accumulate(partSy.begin(), partSy.end(), 0.0);
    const double yy =
        spareY_.scale * spareY_.scale * std::accumulate(partYy.begin(), partYy.end(), 0.0);
    if (!(sy > 1e-12 * yy)) return;  // not enough positive curvature to keep
    if (int(s_.size()) < memory_) {
        s_.emplace_back();
        y_.emplace_back();
        rho_.push_back(0);
    }
    const int slot = next_;
    std::swap(s_[std::size_t(slot)], spareS_);
    std::swap(y_[std::size_t(slot)], spareY_);
    rho_[std::size_t(slot)] = 1.0 / sy;
    sy_(slot, slot) = sy;
    yy_(slot, slot) = yy;
    gamma_ = sy / yy;
    pending_ = slot;  // its inner products with the older pairs: in the next apply's pass
    next_ = (next_ + 1) % memory_;
    count_ = std::min(count_ + 1, memory_);
}

void TwoLoop::apply(const Eigen::VectorXd& g, Eigen::VectorXd& D)
{
    innerProducts(g);
    // The recursion on coefficients: q = g - sum_k alpha_k y_k, then r = gamma q + sum_k c_k s_k, D
    // = -r.
    std::array<double, kMaxMemory> alpha{}, c{};
    for (int k = 0; k < count_; ++k) {  // newest first
        const int i = slot(k);
        double sq = sg_[i];
        for (int l = 0; l < k; ++l) sq -= alpha[std::size_t(l)] * sy_(i, slot(l));
        alpha[std::size_t(k)] = rho_[std::size_t(i)] * sq;
    }
    const double gamma = count_ > 0 ? gamma_ : 1.0;
    for (int k = count_ - 1; k >= 0; --k) {  // oldest first
        const int i = slot(k);
        double yq = yg_[i];
        for (int l = 0; l < count_; ++l) yq -= alpha[std::size_t(l)] * yy_(i, slot(l));
        double yr = gamma * yq;
        for (int l = count_ - 1; l > k; --l) yr += c[std::size_t(l)] * sy_(slot(l), i);
        c[std::size_t(k)] = alpha[std::size_t(k)] - rho_[std::size_t(i)] * yr;
    }
    parallelForChunks(size_, kAddChunks, [&](int, Eigen::Index a, Eigen::Index b) {
        D.segment(a, b - a) = -gamma * g.segment(a, b - a);
        for (int k = 0; k < count_; ++k) {
            const std::size_t i = std::size_t(slot(k));
            addHalves(D.data() + a, gamma * alpha[std::size_t(k)] * y_[i].scale,
                      y_[i].half.data() + a, -c[std::size_t(k)] * s_[i].scale,
                      s_[i].half.data() + a, b - a);
        }
    });
}

// s_i^T g and y_i^T g for every pair and, for the pending (newest) pair n, s_j^T y_n and y_j^T y_n
// for the others, all from the rounded vectors, in one pass.
void TwoLoop::innerProducts(const Eigen::VectorXd& g)
{
    const int n = pending_;
    Eigen::MatrixXd part = Eigen::MatrixXd::Zero(4 * Eigen::Index(memory_), kApplyChunks);
    parallelForChunks(size_, kApplyChunks, [&](int ch, Eigen::Index a, Eigen::Index b) {
        for (int k = 0; k < count_; ++k) {
            const int i = slot(k);
            part(4 * Eigen::Index(i), ch) =
                dotHalfDouble(s_[std::size_t(i)].half.data() + a, g.data() + a, b - a);
            part(4 * i + 1, ch) =
                dotHalfDouble(y_[std::size_t(i)].half.data() + a, g.data() + a, b - a);
            if (n >= 0 && i != n) {
                part(4 * i + 2, ch) = dotHalfHalf(s_[std::size_t(i)].half.data() + a,
                                                  y_[std::size_t(n)].half.data() + a, b - a);
                part(4 * i + 3, ch) = dotHalfHalf(y_[std::size_t(i)].half.data() + a,
                                                  y_[std::size_t(n)].half.data() + a, b - a);
            }
        }
    });
    for (int k = 0; k < count_; ++k) {
        const int i = slot(k);
        sg_[i] = s_[std::size_t(i)].scale * part.row(4 * Eigen::Index(i)).sum();
        yg_[i] = y_[std::size_t(i)].scale * part.row(4 * i + 1).sum();
        if (n >= 0 && i != n) {
            sy_(i, n) =
                s_[std::size_t(i)].scale * y_[std::size_t(n)].scale * part.row(4 * i + 2).sum();
            yy_(i, n) = yy_(n, i) =
                y_[std::size_t(i)].scale * y_[std::size_t(n)].scale * part.row(4 * i + 3).sum();
        }
    }
    pending_ = -1;
}

}  // namespace neurolens
