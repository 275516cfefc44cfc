#include "SparseCounts.h"

#include "Cpu.h"

#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#if NEUROLENS_X86_KERNELS
// GCC 12 warns of uninitialised variables inside its own AVX-512 conversion intrinsics (its bug
// 105593); the warnings point into the header, so they are silenced there.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#define NEUROLENS_COUNTS_X86 1
#endif

namespace neurolens {

namespace {

// Where column c of a 64-column block is stored: the kernel interleaves the bytes of four rows
// (unpack 8-bit, then 16-bit, within each 128-bit lane), after which the sum for stored byte
// 16 L + 4 g + t (lane L, group g) lands in accumulator g, lane 4 L + t; storing column
// 16 g + 4 L + t there leaves accumulator g with columns 16 g .. 16 g + 15 in order.
int packedPosition(int c)
{
    const int g = c / 16, lane = (c % 16) / 4, t = c % 4;
    return 16 * lane + 4 * g + t;
}

// The factor f in 1..64 making every value of A whole (within 16 float ulps), or 0.
int wholeFactor(const SparseRows& A)
{
    for (int f = 1; f <= 64; ++f) {
        const bool whole = std::all_of(A.value.begin(), A.value.end(), [f](float v) {
            const double m = double(v) * f, r = std::nearbyint(m);
            return r >= 1 && r <= 255 && std::abs(m - r) <= 1e-6 * r;
        });
        if (whole) return f;
    }
    return 0;
}

#ifdef NEUROLENS_COUNTS_X86
// Rows [begin, end) of out, columns [c0, c0 + 64 Blocks) of B's packed layout (c0 a multiple of
// 64): for each group of four nonzeros, four rows of B's chunk interleaved byte by byte and summed
// against the four counts by VPDPBUSD (counts unsigned, B signed), 16 accumulators of 16 sums.
template <int Blocks>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void groupsVnni(
    const std::int64_t* groupStart, const int* groupColumn, const std::uint32_t* groupCounts,
    const std::int8_t* packed, std::size_t stride, const double* mult, const double* offset,
    int cols, float* out, int begin, int end, int c0)
{
    constexpr int V = 4 * Blocks;
    const std::int8_t* chunk = packed + c0;
    for (int r = begin; r < end; ++r) {
        __m512i acc[V];
#pragma GCC unroll 16
        for (int u = 0; u < V; ++u) acc[u] = _mm512_setzero_si512();
        for (std::int64_t e = groupStart[r]; e < groupStart[r + 1]; ++e) {
            const __m512i counts = _mm512_set1_epi32(int(groupCounts[e]));
            const int* j = groupColumn + 4 * e;
            const std::int8_t* p0 = chunk + std::size_t(j[0]) * stride;
            const std::int8_t* p1 = chunk + std::size_t(j[1]) * stride;
            const std::int8_t* p2 = chunk + std::size_t(j[2]) * stride;
            const std::int8_t* p3 = chunk + std::size_t(j[3]) * stride;
#pragma GCC unroll 4
            for (int b = 0; b < Blocks; ++b) {
                const std::ptrdiff_t at = std::ptrdiff_t(Int8Columns::kBlock) * b;
                const __m512i r0 = _mm512_load_si512(p0 + at), r1 = _mm512_load_si512(p1 + at),
                              r2 = _mm512_load_si512(p2 + at), r3 = _mm512_load_si512(p3 + at);
                const __m512i lo01 = _mm512_unpacklo_epi8(r0, r1),
                              hi01 = _mm512_unpackhi_epi8(r0, r1),
                              lo23 = _mm512_unpacklo_epi8(r2, r3),
                              hi23 = _mm512_unpackhi_epi8(r2, r3);
                acc[4 * b] =
                    _mm512_dpbusd_epi32(acc[4 * b], counts, _mm512_unpacklo_epi16(lo01, lo23));
                acc[4 * b + 1] =
                    _mm512_dpbusd_epi32(acc[4 * b + 1], counts, _mm512_unpackhi_epi16(lo01, lo23));
                acc[4 * b + 2] =
                    _mm512_dpbusd_epi32(acc[4 * b + 2], counts, _mm512_unpacklo_epi16(hi01, hi23));
                acc[4 * b + 3] =
                    _mm512_dpbusd_epi32(acc[4 * b + 3], counts, _mm512_unpackhi_epi16(hi01, hi23));
            }
        }
        float* o = out + std::size_t(r) * std::size_t(cols);
#pragma GCC unroll 16
        for (int u = 0; u < V; ++u) {
            const int c = c0 + 16 * u;
            if (c >= cols) break;
            const __m512d lo =
                _mm512_fmadd_pd(_mm512_cvtepi32_pd(_mm512_castsi512_si256(acc[u])),
                                _mm512_loadu_pd(mult + c), _mm512_loadu_pd(offset + c));
            const __m512d hi =
                _mm512_fmadd_pd(_mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(acc[u], 1)),
                                _mm512_loadu_pd(mult + c + 8), _mm512_loadu_pd(offset + c + 8));
            const __m512 y = _mm512_castpd_ps(
                _mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(_mm512_cvtpd_ps(lo))),
                                   _mm256_castps_pd(_mm512_cvtpd_ps(hi)), 1));
            const int count = std::min(16, cols - c);
            _mm512_mask_storeu_ps(o + c, __mmask16((1u << count) - 1u), y);
        }
    }
}

using GroupsKernel = void (*)(const std::int64_t*, const int*, const std::uint32_t*,
                              const std::int8_t*, std::size_t, const double*, const double*, int,
                              float*, int, int, int);
constexpr GroupsKernel kGroupsVnni[] = {groupsVnni<1>, groupsVnni<2>, groupsVnni<3>, groupsVnni<4>};
#endif

}  // namespace

void Int8Columns::shape(int rowCount, int colCount)
{
    rows = rowCount;
    cols = colCount;
    stride = (cols + kBlock - 1) / kBlock * kBlock;
    step.assign(std::size_t(stride), 0.0f);
    value.resize(std::size_t(rows) * std::size_t(cols));
    packed.assign(std::size_t(rows) * std::size_t(stride), 0);
}

void Int8Columns::put(int r, int c, double q)
{
    value[std::size_t(r) * std::size_t(cols) + std::size_t(c)] = float(q);
    packed[std::size_t(r) * std::size_t(stride) + std::size_t(c / kBlock * kBlock) +
           std::size_t(packedPosition(c % kBlock))] = std::int8_t(q);
}

bool Int8Columns::assign(const double* B, const double* rowScale, int rowCount, int colCount)
{
    shape(rowCount, colCount);
    const std::size_t w = std::size_t(stride);
    // Each column's largest magnitude: per fixed chunk of rows, then across chunks.
    constexpr int kChunks = 16;
    std::vector<std::vector<double>> part(kChunks, std::vector<double>(w, 0.0));
    std::vector<char> finite(kChunks, 1);
    parallelForChunks(rows, kChunks, [&](int k, std::int64_t r0, std::int64_t r1) {
        std::vector<double>& m = part[std::size_t(k)];
        bool ok = true;
        for (std::int64_t r = r0; r < r1; ++r) {
            const double s = rowScale[r];
            const double* b = B + std::size_t(r) * std::size_t(cols);
            for (int c = 0; c < cols; ++c) {
                const double v = std::abs(s * b[c]);
                ok = ok && v <= std::numeric_limits<double>::max();  // NaN fails it too
                m[std::size_t(c)] = std::max(m[std::size_t(c)], v);
            }
        }
        finite[std::size_t(k)] = ok;
    });
    if (std::count(finite.begin(), finite.end(), 0) > 0) return false;
    for (int c = 0; c < cols; ++c) {
        double m = 0;
        for (const auto& p : part) m = std::max(m, p[std::size_t(c)]);
        step[std::size_t(c)] = float(m / 127);
    }
    parallelFor(rows, [&](int r) {
        const double s = rowScale[r];
        const double* b = B + std::size_t(r) * std::size_t(cols);
        for (int c = 0; c < cols; ++c) {
            const double st = step[std::size_t(c)];
            put(r, c, st > 0 ? std::clamp(std::nearbyint(s * b[c] / st), -127.0, 127.0) : 0.0);
        }
    });
    return true;
}

bool Int8Columns::assignWhole(const float* B, int rowCount, int colCount, int factor)
{
    shape(rowCount, colCount);
    std::fill(step.begin(), step.begin() + cols, 1.0f / float(factor));
    std::vector<char> whole(std::size_t(rows), 1);
    parallelFor(rows, [&](int r) {
        const float* b = B + std::size_t(r) * std::size_t(cols);
        bool ok = true;
        for (int c = 0; c < cols; ++c) {
            const double m = double(b[c]) * factor, q = std::nearbyint(m);
            ok = ok && std::abs(q) <= 127 && std::abs(m - q) <= 1e-6 * std::max(1.0, std::abs(q));
            put(r, c, ok ? q : 0.0);
        }
        whole[std::size_t(r)] = ok;
    });
    return std::count(whole.begin(), whole.end(), 0) == 0;
}

std::optional<SparseCounts> SparseCounts::of(const SparseRows& A, bool integerKernel)
{
    const int f = wholeFactor(A);
    if (f == 0) return std::nullopt;
    SparseRows M = A;
    for (float& v : M.value) v = float(std::nearbyint(double(v) * f));
    for (int r = 0; r < M.rows; ++r) {
        double sum = 0;
        for (std::int64_t e = M.start[std::size_t(r)]; e < M.start[std::size_t(r) + 1]; ++e)
            sum += M.value[std::size_t(e)];
        if (sum > kLargestRowSum) return std::nullopt;
    }
    SparseCounts s;
    s.rows_ = M.rows;
    s.factor_ = f;
#ifdef NEUROLENS_COUNTS_X86
    if (integerKernel && cpu::avx512Vnni()) {
        s.groupStart_.assign(std::size_t(M.rows) + 1, 0);
        for (int r = 0; r < M.rows; ++r) {
            const std::int64_t count = M.start[std::size_t(r) + 1] - M.start[std::size_t(r)];
            s.groupStart_[std::size_t(r) + 1] = s.groupStart_[std::size_t(r)] + (count + 3) / 4;
        }
        const std::size_t groups = std::size_t(s.groupStart_.back());
        s.groupColumn_.assign(4 * groups, 0);
        s.groupCounts_.assign(groups, 0);
        for (int r = 0; r < M.rows; ++r) {
            const std::int64_t e0 = M.start[std::size_t(r)], e1 = M.start[std::size_t(r) + 1];
            for (std::int64_t e = e0; e < e1; ++e) {
                const std::size_t g = std::size_t(s.groupStart_[std::size_t(r)] + (e - e0) / 4);
                const int t = int((e - e0) % 4);
                s.groupColumn_[4 * g + std::size_t(t)] = M.column[std::size_t(e)];
                s.groupCounts_[g] |= std::uint32_t(M.value[std::size_t(e)]) << (8 * t);
            }
            // The padding (zero counts) points at the row's first column: a row that is read
            // anyway.
            if (e1 > e0)
                for (std::int64_t e = e1; (e - e0) % 4 != 0; ++e)
                    s.groupColumn_[4 * std::size_t(s.groupStart_[std::size_t(r)] + (e - e0) / 4) +
                                   std::size_t((e - e0) % 4)] = M.column[std::size_t(e0)];
        }
        return s;
    }
#endif
    s.product_.emplace(std::move(M));
    return s;
}

void SparseCounts::times(const Int8Columns& B, const double* offset, float* out, int threads)
{
    const std::size_t w = std::size_t(B.stride);
    std::vector<double> mult(w, 0.0), off(w, 0.0);
    for (int c = 0; c < B.cols; ++c) {
        mult[std::size_t(c)] = double(float(double(B.step[std::size_t(c)]) / factor_));
        off[std::size_t(c)] = offset[c];
    }
#ifdef NEUROLENS_COUNTS_X86
    if (!product_) {
        // Chunks of up to four blocks (256 columns, 16 accumulators) outermost within each range of
        // rows: the chunk of B stays in L2 while the rows stream past it.
        parallelForChunks(
            rows_, kRowChunks,
            [&](int, std::int64_t r0, std::int64_t r1) {
                for (int c0 = 0; c0 < B.stride; c0 += 4 * Int8Columns::kBlock) {
                    const int blocks = std::min(4, (B.stride - c0) / Int8Columns::kBlock);
                    kGroupsVnni[blocks - 1](groupStart_.data(), groupColumn_.data(),
                                            groupCounts_.data(), B.packed.data(), w, mult.data(),
                                            off.data(), B.cols, out, int(r0), int(r1), c0);
                }
            },
            threads);
        return;
    }
#endif
    half_.assign(B.value.data(), B.rows, B.cols);
    parallelSparseTimesHalf(*product_, half_, out, nullptr, threads);
    parallelForChunks(
        rows_, kRowChunks,
        [&](int, std::int64_t r0, std::int64_t r1) {
            for (std::int64_t r = r0; r < r1; ++r) {
                float* o = out + std::size_t(r) * std::size_t(B.cols);
                for (int c = 0; c < B.cols; ++c)
                    o[c] = float(double(o[c]) * mult[std::size_t(c)] + off[std::size_t(c)]);
            }
        },
        threads);
}

}  // namespace neurolens
