#include "SparseHalf.h"

#include "Cpu.h"

#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if NEUROLENS_X86_KERNELS
#include "RowsKernel.h"
#define NEUROLENS_HALF_X86 1
#endif

namespace neurolens {

std::uint16_t toHalf(float x)
{
    std::uint32_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    const std::uint32_t sign = (bits >> 16) & 0x8000u, magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return std::uint16_t(sign | 0x7e00u);   // NaN
    if (magnitude >= 0x47800000u) return std::uint16_t(sign | 0x7c00u);  // >= 2^16: infinity
    if (magnitude <
        0x38800000u) {  // below 2^-14: a multiple of 2^-24 (the default rounding is to even)
        float a = 0;
        std::memcpy(&a, &magnitude, sizeof a);
        return std::uint16_t(sign | std::uint32_t(std::nearbyint(a * 16777216.0f)));
    }
    std::uint32_t h = ((magnitude >> 23) - 112u) << 10 | ((magnitude & 0x7fffffu) >> 13);
    const std::uint32_t rest = magnitude & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u)))
        ++h;  // a carry moves into the exponent, as it should
    return std::uint16_t(sign | h);
}

float fromHalf(std::uint16_t h)
{
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16, exponent = (h >> 10) & 0x1fu,
                        mantissa = h & 0x3ffu;
    if (exponent == 0) {
        const float m = std::ldexp(float(mantissa), -24);
        return sign ? -m : m;
    }
    const std::uint32_t bits =
        sign | (exponent == 31 ? 0x7f800000u | (mantissa << 13)
                               : ((exponent + 112u) << 23) | (mantissa << 13));
    float x = 0;
    std::memcpy(&x, &bits, sizeof x);
    return x;
}

namespace {

#ifdef NEUROLENS_HALF_X86
// `count` floats of b rounded to half[k] = half(b[k] * inverse), value[k] = half[k] * scale: eight
// at a time through F16C, the rest one by one.
__attribute__((target("avx,f16c"))) void roundSpanF16c(const float* b, float inverse, float scale,
                                                       std::uint16_t* half, float* value, int count)
{
    int k = 0;
    const __m256 iv = _mm256_set1_ps(inverse), sv = _mm256_set1_ps(scale);
    for (; k + 8 <= count; k += 8) {
        const __m128i h = _mm256_cvtps_ph(_mm256_mul_ps(_mm256_loadu_ps(b + k), iv),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(half + k), h);
        _mm256_storeu_ps(value + k, _mm256_mul_ps(_mm256_cvtph_ps(h), sv));
    }
    for (; k < count; ++k) {
        half[k] = toHalf(b[k] * inverse);
        value[k] = fromHalf(half[k]) * scale;
    }
}

// A half-precision operand packed by chunk (HalfRounded::packed), converted as it is read; its
// values carry the operand's scale. (The zero-masked conversion with every lane on: GCC 12's
// _mm512_cvtph_ps warns of an uninitialised variable in its own header.)
struct HalfChunk {
    const std::uint16_t* chunk;
    float scale;

    float factor() const { return scale; }
    const std::uint16_t* row(int r, int) const
    {
        return chunk + std::size_t(r) * HalfRounded::kChunk;
    }
    __attribute__((target("avx512f"))) static __m512 load(const std::uint16_t* at, int u, __mmask16)
    {
        return _mm512_maskz_cvtph_ps(
            __mmask16(0xffff),
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at + 16 * std::ptrdiff_t(u))));
    }
};

template <int V>
__attribute__((target("avx512f"))) void rowsHalf512(const SparseRows& A, const std::uint16_t* chunk,
                                                    float scale, int n, const float* init,
                                                    float* out, int begin, int end, int c0,
                                                    int tail)
{
    kernels::rows512<V>(A, HalfChunk{chunk, scale}, n, init, out, begin, end, c0, tail);
}

using HalfKernel = void (*)(const SparseRows&, const std::uint16_t*, float, int, const float*,
                            float*, int, int, int, int);
constexpr HalfKernel kRowsHalf512[] = {rowsHalf512<1>, rowsHalf512<2>, rowsHalf512<3>,
                                       rowsHalf512<4>, rowsHalf512<5>, rowsHalf512<6>,
                                       rowsHalf512<7>, rowsHalf512<8>};
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
        for (int c = 0; c < cols; ++c)
            m = std::max(m, std::abs(B[std::size_t(r) * std::size_t(cols) + std::size_t(c)]));
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
            std::uint16_t* half =
                packed.data() + (std::size_t(c) * std::size_t(rows) + std::size_t(r)) * kChunk;
            std::fill(half + count, half + kChunk, std::uint16_t(0));
#ifdef NEUROLENS_HALF_X86
            if (cpu::f16c()) {
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

void sparseTimesHalf(const SparseRows& A, const HalfRounded& B, float* out, int begin, int end,
                     const float* init)
{
    if (begin >= end || B.cols <= 0) return;
#ifdef NEUROLENS_HALF_X86
    if (cpu::avx512()) {
        // Chunks outermost, as in sparseTimesDense: a chunk (rows x 128 halves) stays in L2 while
        // every sparse row streams past it.
        for (int c0 = 0; c0 < B.cols; c0 += HalfRounded::kChunk) {
            const int width = std::min(HalfRounded::kChunk, B.cols - c0),
                      vectors = (width + 15) / 16;
            const std::uint16_t* chunk = B.packed.data() + std::size_t(c0 / HalfRounded::kChunk) *
                                                               std::size_t(B.rows) *
                                                               HalfRounded::kChunk;
            kRowsHalf512[vectors - 1](A, chunk, B.scale, B.cols, init, out, begin, end, c0,
                                      width - (vectors - 1) * 16);
        }
        return;
    }
#endif
    sparseTimesDense(A, B.value.data(), B.cols, out, begin, end, init);
}

void parallelSparseTimesHalf(const SparseProduct& A, const HalfRounded& B, float* out,
                             const float* init, int threads)
{
    if (!A.byRows()) return A.times(B.value.data(), B.cols, out, init, threads);
    parallelForChunks(
        A.rows().rows, kRowChunks,
        [&](int, std::int64_t r0, std::int64_t r1) {
            sparseTimesHalf(A.rows(), B, out, int(r0), int(r1), init);
        },
        threads);
}

}  // namespace neurolens
