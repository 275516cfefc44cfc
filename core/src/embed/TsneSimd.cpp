#include "TsneSimd.h"

#include "linalg/Cpu.h"

#include <cstddef>

#if NEUROLENS_X86_KERNELS
#include <immintrin.h>
#define NEUROLENS_TSNE_AVX2 1
#endif

namespace neurolens::tsne {
namespace {

void attractionPortable(const std::int64_t* start, const int* column, const float* value,
                        const float* y, float* g, int begin, int end, float scale)
{
    for (int i = begin; i < end; ++i) {
        const float yi0 = y[2 * std::ptrdiff_t(i)], yi1 = y[2 * std::ptrdiff_t(i) + 1];
        float f0 = 0, f1 = 0;
        for (std::int64_t e = start[i]; e < start[i + 1]; ++e) {
            const int j = column[e];
            const float d0 = yi0 - y[2 * std::ptrdiff_t(j)],
                        d1 = yi1 - y[2 * std::ptrdiff_t(j) + 1];
            const float pw = value[e] / (1.0f + d0 * d0 + d1 * d1);
            f0 += pw * d0;
            f1 += pw * d1;
        }
        g[2 * std::ptrdiff_t(i)] = scale * f0;
        g[2 * std::ptrdiff_t(i) + 1] = scale * f1;
    }
}

void pairSumsPortable(float x0, float x1, const float* px, const float* py, int count, double& r0,
                      double& r1, double& z)
{
    float s0 = 0, s1 = 0, sz = 0;
    for (int j = 0; j < count; ++j) {
        const float d0 = x0 - px[j], d1 = x1 - py[j];
        const float w = 1.0f / (1.0f + d0 * d0 + d1 * d1);
        sz += w;
        s0 += w * w * d0;
        s1 += w * w * d1;
    }
    r0 += s0;
    r1 += s1;
    z += sz;
}

#ifdef NEUROLENS_TSNE_AVX2
__attribute__((target("avx2,fma"))) float horizontalSum(__m256 v)
{
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}

__attribute__((target("avx2,fma"))) void attractionAvx2(const std::int64_t* start,
                                                        const int* column, const float* value,
                                                        const float* y, float* g, int begin,
                                                        int end, float scale)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    for (int i = begin; i < end; ++i) {
        const float yi0 = y[2 * std::ptrdiff_t(i)], yi1 = y[2 * std::ptrdiff_t(i) + 1];
        const __m256 a0 = _mm256_set1_ps(yi0), a1 = _mm256_set1_ps(yi1);
        __m256 f0 = _mm256_setzero_ps(), f1 = _mm256_setzero_ps();
        std::int64_t e = start[i];
        const std::int64_t last = start[i + 1];
        for (; e < last; e += 8) {
            // Each partner's (x, y) as one 64-bit gather element, then split into x and y lanes.
            // The last group's missing lanes read partner 0 with weight 0 (masked loads), adding
            // nothing.
            __m256i j;
            __m256 vRaw;
            if (e + 8 <= last) {
                j = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(column + e));
                vRaw = _mm256_loadu_ps(value + e);
            } else {
                const __m256i lanes = _mm256_cmpgt_epi32(_mm256_set1_epi32(int(last - e)),
                                                         _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
                j = _mm256_maskload_epi32(column + e, lanes);
                vRaw = _mm256_maskload_ps(value + e, lanes);
            }
            const __m256 lo = _mm256_castsi256_ps(_mm256_i32gather_epi64(
                reinterpret_cast<const long long*>(y), _mm256_castsi256_si128(j), 8));
            const __m256 hi = _mm256_castsi256_ps(_mm256_i32gather_epi64(
                reinterpret_cast<const long long*>(y), _mm256_extracti128_si256(j, 1), 8));
            // lo = x0 y0 x1 y1 | x2 y2 x3 y3, hi = x4 y4 x5 y5 | x6 y6 x7 y7
            const __m256 xs =
                _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0));  // x0 x1 x4 x5 | x2 x3 x6 x7
            const __m256 ys = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1));
            // the values in the same lane order
            const __m256 v =
                _mm256_permutevar8x32_ps(vRaw, _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7));
            const __m256 d0 = _mm256_sub_ps(a0, xs);
            const __m256 d1 = _mm256_sub_ps(a1, ys);
            const __m256 q = _mm256_fmadd_ps(d1, d1, _mm256_fmadd_ps(d0, d0, one));
            const __m256 pw = _mm256_div_ps(v, q);
            f0 = _mm256_fmadd_ps(pw, d0, f0);
            f1 = _mm256_fmadd_ps(pw, d1, f1);
        }
        g[2 * std::ptrdiff_t(i)] = scale * horizontalSum(f0);
        g[2 * std::ptrdiff_t(i) + 1] = scale * horizontalSum(f1);
    }
}

__attribute__((target("avx2,fma"))) void pairSumsAvx2(float x0, float x1, const float* px,
                                                      const float* py, int count, double& r0,
                                                      double& r1, double& z)
{
    const __m256 one = _mm256_set1_ps(1.0f), a0 = _mm256_set1_ps(x0), a1 = _mm256_set1_ps(x1);
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), sz = _mm256_setzero_ps();
    int j = 0;
    for (; j + 8 <= count; j += 8) {
        const __m256 d0 = _mm256_sub_ps(a0, _mm256_loadu_ps(px + j)),
                     d1 = _mm256_sub_ps(a1, _mm256_loadu_ps(py + j));
        const __m256 w = _mm256_div_ps(one, _mm256_fmadd_ps(d1, d1, _mm256_fmadd_ps(d0, d0, one)));
        const __m256 w2 = _mm256_mul_ps(w, w);
        sz = _mm256_add_ps(sz, w);
        s0 = _mm256_fmadd_ps(w2, d0, s0);
        s1 = _mm256_fmadd_ps(w2, d1, s1);
    }
    r0 += horizontalSum(s0);
    r1 += horizontalSum(s1);
    z += horizontalSum(sz);
    if (j < count) pairSumsPortable(x0, x1, px + j, py + j, count - j, r0, r1, z);
}

#endif

}  // namespace

void attraction2D(const std::int64_t* start, const int* column, const float* value, const float* y,
                  float* g, int begin, int end, float scale)
{
#ifdef NEUROLENS_TSNE_AVX2
    if (cpu::avx2Fma()) return attractionAvx2(start, column, value, y, g, begin, end, scale);
#endif
    attractionPortable(start, column, value, y, g, begin, end, scale);
}

void pairSums2D(float x0, float x1, const float* px, const float* py, int count, double& r0,
                double& r1, double& z)
{
#ifdef NEUROLENS_TSNE_AVX2
    if (cpu::avx2Fma()) return pairSumsAvx2(x0, x1, px, py, count, r0, r1, z);
#endif
    pairSumsPortable(x0, x1, px, py, count, r0, r1, z);
}

}  // namespace neurolens::tsne
