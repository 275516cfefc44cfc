#include "SparseHalf.h"

#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NEUROLENS_HALF_X86 1
#endif

namespace neurolens {

std::uint16_t toHalf(float x)
{
    std::uint32_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    const std::uint32_t sign = (bits >> 16) & 0x8000u, magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return std::uint16_t(sign | 0x7e00u);  // NaN
    if (magnitude >= 0x47800000u) return std::uint16_t(sign | 0x7c00u);  // >= 2^16: infinity
    if (magnitude < 0x38800000u) {  // below 2^-14: a multiple of 2^-24 (the default rounding is to even)
        float a = 0;
        std::memcpy(&a, &magnitude, sizeof a);
        return std::uint16_t(sign | std::uint32_t(std::nearbyint(a * 16777216.0f)));
    }
    std::uint32_t h = ((magnitude >> 23) - 112u) << 10 | ((magnitude & 0x7fffffu) >> 13);
    const std::uint32_t rest = magnitude & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;  // a carry moves into the exponent, as it should
    return std::uint16_t(sign | h);
}

float fromHalf(std::uint16_t h)
{
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16, exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
    if (exponent == 0) {
        const float m = std::ldexp(float(mantissa), -24);
        return sign ? -m : m;
    }
    const std::uint32_t bits = sign | (exponent == 31 ? 0x7f800000u | (mantissa << 13) : ((exponent + 112u) << 23) | (mantissa << 13));
    float x = 0;
    std::memcpy(&x, &bits, sizeof x);
    return x;
}

namespace {

#ifdef NEUROLENS_HALF_X86
bool haveAvx512()
{
    static const bool yes = __builtin_cpu_supports("avx512f");
    return yes;
}

bool haveF16c()
{
    static const bool yes = __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
    return yes;
}

// `count` floats of b rounded to half[k] = half(b[k] * inverse), value[k] = half[k] * scale: eight at a time
// through F16C, the rest one by one.
__attribute__((target("avx,f16c"))) void roundSpanF16c(const float* b, float inverse, float scale, std::uint16_t* half, float* value, int count)
{
    int k = 0;
    const __m256 iv = _mm256_set1_ps(inverse), sv = _mm256_set1_ps(scale);
    for (; k + 8 <= count; k += 8) {
        const __m128i h = _mm256_cvtps_ph(_mm256_mul_ps(_mm256_loadu_ps(b + k), iv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(half + k), h);
        _mm256_storeu_ps(value + k, _mm256_mul_ps(_mm256_cvtph_ps(h), sv));
    }
    for (; k < count; ++k) {
        half[k] = toHalf(b[k] * inverse);
        value[k] = fromHalf(half[k]) * scale;
    }
}

// V vectors of accumulators in registers across a row's nonzeros, starting from `init` (or zero), the
// chunk's halves converted as they are read; the last vector's store masked to `tail` floats (its
// halves beyond the columns are zero).
template <int V>
__attribute__((target("avx512f"))) void rowsHalf512(const SparseRows& A, const std::uint16_t* chunk, float scale, int n, const float* init,
                                                    float* out, int begin, int end, int c0, int tail)
{
    // (The zero-masked conversion with every lane on: GCC 12's _mm512_cvtph_ps warns of an uninitialised
    // variable in its own header.)
    const __mmask16 last = __mmask16((1u << tail) - 1u), all = 0xffff;
    const std::int64_t* start = A.start.data();
    const int* column = A.column.data();
    const float* value = A.value.data();
    for (int r = begin; r < end; ++r) {
        __m512 acc[V];
        if (init) {
#pragma GCC unroll 8
            for (int u = 0; u < V - 1; ++u) acc[u] = _mm512_loadu_ps(init + c0 + 16 * u);
            acc[V - 1] = _mm512_maskz_loadu_ps(last, init + c0 + 16 * (V - 1));
        } else {
#pragma GCC unroll 8
            for (int u = 0; u < V; ++u) acc[u] = _mm512_setzero_ps();
        }
        for (std::int64_t e = start[r]; e < start[r + 1]; ++e) {
            const __m512 v = _mm512_set1_ps(value[e] * scale);
            const std::uint16_t* b = chunk + std::size_t(column[e]) * HalfRounded::kChunk;
#pragma GCC unroll 8
            for (int u = 0; u < V; ++u)
                acc[u] = _mm512_fmadd_ps(v, _mm512_maskz_cvtph_ps(all, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 16 * u))), acc[u]);
        }
        float* o = out + std::size_t(r) * std::size_t(n) + std::size_t(c0);
#pragma GCC unroll 8
        for (int u = 0; u < V - 1; ++u) _mm512_storeu_ps(o + 16 * u, acc[u]);
        _mm512_mask_storeu_ps(o + 16 * (V - 1), last, acc[V - 1]);
    }
}

using HalfKernel = void (*)(const SparseRows&, const std::uint16_t*, float, int, const float*, float*, int, int, int, int);
constexpr HalfKernel kRowsHalf512[] = {rowsHalf512<1>, rowsHalf512<2>, rowsHalf512<3>, rowsHalf512<4>,
                                       rowsHalf512<5>, rowsHalf512<6>, rowsHalf512<7>, rowsHalf512<8>};
#endif

}  // namespace

void HalfRounded::assign(const float* B, int rowCount, int colCount)
{
    rows = rowCount;
    cols = colCount;
    scale = 1;
    const int chunks = (cols + kChunk - 1) / kChunk;
    value.resize(std::size_t(rows) * std::size_t(cols));
    packed.resize(std::size_t(chunks) * std::size_t(rows) * kChunk);
    std::vector<float> rowMax(std::size_t(rows), 0.0f);
    parallelFor(rows, [&](int r) {
        float m = 0;
        for (int c = 0; c < cols; ++c) m = std::max(m, std::abs(B[std::size_t(r) * std::size_t(cols) + std::size_t(c)]));
        rowMax[std::size_t(r)] = m;
    });
    const float largest = rows > 0 ? *std::max_element(rowMax.begin(), rowMax.end()) : 0.0f;
    if (largest > 0 && std::isfinite(largest)) {
        int exponent = 0;
        std::frexp(largest, &exponent);  // largest < 2^exponent
        scale = std::ldexp(1.0f, exponent - 15);
    }
    const float inverse = 1.0f / scale;
    parallelFor(rows, [&](int r) {
        const float* b = B + std::size_t(r) * std::size_t(cols);
        float* rounded = value.data() + std::size_t(r) * std::size_t(cols);
        for (int c = 0; c < chunks; ++c) {
            const int c0 = c * kChunk, count = std::min(kChunk, cols - c0);
            std::uint16_t* half = packed.data() + (std::size_t(c) * std::size_t(rows) + std::size_t(r)) * kChunk;
            std::fill(half + count, half + kChunk, std::uint16_t(0));
#ifdef NEUROLENS_HALF_X86
            if (haveF16c()) {
                roundSpanF16c(b + c0, inverse, scale, half, rounded + c0, count);
                continue;
            }
#endif
            for (int k = 0; k < count; ++k) {
                half[k] = toHalf(b[c0 + k] * inverse);
                rounded[c0 + k] = fromHalf(half[k]) * scale;
            }
        }
    });
}

void sparseTimesHalf(const SparseRows& A, const HalfRounded& B, float* out, int begin, int end, const float* init)
{
    if (begin >= end || B.cols <= 0) return;
#ifdef NEUROLENS_HALF_X86
    if (haveAvx512()) {
        // Chunks outermost, as in sparseTimesDense: a chunk (rows x 128 halves) stays in L2 while every
        // sparse row streams past it.
        for (int c0 = 0; c0 < B.cols; c0 += HalfRounded::kChunk) {
            const int width = std::min(HalfRounded::kChunk, B.cols - c0), vectors = (width + 15) / 16;
            const std::uint16_t* chunk = B.packed.data() + std::size_t(c0 / HalfRounded::kChunk) * std::size_t(B.rows) * HalfRounded::kChunk;
            kRowsHalf512[vectors - 1](A, chunk, B.scale, B.cols, init, out, begin, end, c0, width - (vectors - 1) * 16);
        }
        return;
    }
#endif
    sparseTimesDense(A, B.value.data(), B.cols, out, begin, end, init);
}

}  // namespace neurolens
