#include "Softmax.h"

#include "linalg/Cpu.h"

#include <algorithm>
#include <cmath>
#include <limits>

#if NEUROLENS_X86_KERNELS
#include <immintrin.h>
#define NEUROLENS_SOFTMAX_X86 1
#endif

namespace neurolens::softmax {
namespace {

RowStats alongPortable(const float* z, const float* d, float t, int K, int label)
{
    float m = -std::numeric_limits<float>::infinity();
    for (int k = 0; k < K; ++k) m = std::max(m, z[k] + t * d[k]);
    double sum = 0, weighted = 0;
    for (int k = 0; k < K; ++k) {
        const float e = std::exp(z[k] + t * d[k] - m);
        sum += e;
        weighted += double(e) * d[k];
    }
    return {std::log(sum) + m - (z[label] + t * d[label]), weighted / sum - d[label]};
}

double stepPortable(float* z, const float* d, float t, int K, int label, float* r, double* sums)
{
    if (d)
        for (int k = 0; k < K; ++k) z[k] += t * d[k];
    const float m = *std::max_element(z, z + K);
    double sum = 0;
    for (int k = 0; k < K; ++k) sum += (r[k] = std::exp(z[k] - m));
    const float inv = float(1.0 / sum);
    for (int k = 0; k < K; ++k) r[k] *= inv;
    r[label] -= 1.0f;
    if (sums)
        for (int k = 0; k < K; ++k) sums[k] += double(r[k]);
    return std::log(sum) + m - z[label];
}

#ifdef NEUROLENS_SOFTMAX_X86
// exp(x) for x <= 0 (Cephes' single-precision polynomial after the reduction x = n ln 2 + f;
// relative error ~1e-7); underflows to 0 below -87.
__attribute__((target("avx2,fma"))) inline __m256 exp256(__m256 x)
{
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.0f));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 f = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    f = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), f);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(f, f), _mm256_add_ps(f, _mm256_set1_ps(1.0f)));
    const __m256i scale =
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(scale));
}

__attribute__((target("avx2,fma"))) inline float horizontalMax(__m256 v)
{
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm_cvtss_f32(h);
}

__attribute__((target("avx2,fma"))) inline double horizontalSum(__m256 v)
{
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
    return double(_mm_cvtss_f32(h));
}

__attribute__((target("avx2,fma"))) RowStats alongAvx2(const float* z, const float* d, float t,
                                                       int K, int label)
{
    const int full = K / 8 * 8;
    const __m256 tv = _mm256_set1_ps(t);
    __m256 mv = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    for (int k = 0; k < full; k += 8)
        mv = _mm256_max_ps(mv, _mm256_fmadd_ps(tv, _mm256_loadu_ps(d + k), _mm256_loadu_ps(z + k)));
    float m = horizontalMax(mv);
    for (int k = full; k < K; ++k) m = std::max(m, z[k] + t * d[k]);
    const __m256 mb = _mm256_set1_ps(m);
    __m256 sv = _mm256_setzero_ps(), wv = _mm256_setzero_ps();
    for (int k = 0; k < full; k += 8) {
        const __m256 dk = _mm256_loadu_ps(d + k);
        const __m256 e = exp256(_mm256_sub_ps(_mm256_fmadd_ps(tv, dk, _mm256_loadu_ps(z + k)), mb));
        sv = _mm256_add_ps(sv, e);
        wv = _mm256_fmadd_ps(e, dk, wv);
    }
    double sum = horizontalSum(sv), weighted = horizontalSum(wv);
    for (int k = full; k < K; ++k) {
        const float e = std::exp(z[k] + t * d[k] - m);
        sum += e;
        weighted += double(e) * d[k];
    }
    return {std::log(sum) + m - (z[label] + t * d[label]), weighted / sum - d[label]};
}

__attribute__((target("avx2,fma"))) double stepAvx2(float* z, const float* d, float t, int K,
                                                    int label, float* r, double* sums)
{
    const int full = K / 8 * 8;
    const __m256 tv = _mm256_set1_ps(t);
    __m256 mv = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    for (int k = 0; k < full; k += 8) {
        __m256 v = _mm256_loadu_ps(z + k);
        if (d) {
            v = _mm256_fmadd_ps(tv, _mm256_loadu_ps(d + k), v);
            _mm256_storeu_ps(z + k, v);
        }
        mv = _mm256_max_ps(mv, v);
    }
    if (d)
        for (int k = full; k < K; ++k) z[k] += t * d[k];
    float m = horizontalMax(mv);
    for (int k = full; k < K; ++k) m = std::max(m, z[k]);
    const __m256 mb = _mm256_set1_ps(m);
    __m256 sv = _mm256_setzero_ps();
    for (int k = 0; k < full; k += 8) {
        const __m256 e = exp256(_mm256_sub_ps(_mm256_loadu_ps(z + k), mb));
        _mm256_storeu_ps(r + k, e);
        sv = _mm256_add_ps(sv, e);
    }
    double sum = horizontalSum(sv);
    for (int k = full; k < K; ++k) sum += (r[k] = std::exp(z[k] - m));
    const __m256 inv = _mm256_set1_ps(float(1.0 / sum));
    for (int k = 0; k < full; k += 8)
        _mm256_storeu_ps(r + k, _mm256_mul_ps(_mm256_loadu_ps(r + k), inv));
    for (int k = full; k < K; ++k) r[k] *= float(1.0 / sum);
    r[label] -= 1.0f;
    if (sums) {
        for (int k = 0; k < full; k += 8) {
            const __m256 v = _mm256_loadu_ps(r + k);
            _mm256_storeu_pd(sums + k, _mm256_add_pd(_mm256_loadu_pd(sums + k),
                                                     _mm256_cvtps_pd(_mm256_castps256_ps128(v))));
            _mm256_storeu_pd(sums + k + 4,
                             _mm256_add_pd(_mm256_loadu_pd(sums + k + 4),
                                           _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))));
        }
        for (int k = full; k < K; ++k) sums[k] += double(r[k]);
    }
    return std::log(sum) + m - z[label];
}

#endif

}  // namespace

RowStats along(const float* z, const float* d, float t, int K, int label)
{
#ifdef NEUROLENS_SOFTMAX_X86
    if (cpu::avx2Fma()) return alongAvx2(z, d, t, K, label);
#endif
    return alongPortable(z, d, t, K, label);
}

double step(float* z, const float* d, float t, int K, int label, float* r, double* sums)
{
#ifdef NEUROLENS_SOFTMAX_X86
    if (cpu::avx2Fma()) return stepAvx2(z, d, t, K, label, r, sums);
#endif
    return stepPortable(z, d, t, K, label, r, sums);
}

}  // namespace neurolens::softmax
