#include "SparseRows.h"

#include "Cpu.h"

#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#if NEUROLENS_X86_KERNELS
#include "RowsKernel.h"
#define NEUROLENS_SPARSE_X86 1
#endif

namespace neurolens {

SparseRows SparseRows::fromDense(const float* dense, int rows, int cols)
{
    // Two passes on the threads: each row's nonzeros counted, then written at their offsets.
    SparseRows s;
    s.rows = rows;
    s.cols = cols;
    s.start.assign(std::size_t(rows) + 1, 0);
    parallelFor(rows, [&](int r) {
        const float* row = dense + std::size_t(r) * std::size_t(cols);
        s.start[std::size_t(r) + 1] =
            std::count_if(row, row + cols, [](float v) { return v != 0.0f; });
    });
    for (int r = 0; r < rows; ++r) s.start[std::size_t(r) + 1] += s.start[std::size_t(r)];
    s.column.resize(std::size_t(s.start.back()));
    s.value.resize(std::size_t(s.start.back()));
    parallelFor(rows, [&](int r) {
        const float* row = dense + std::size_t(r) * std::size_t(cols);
        std::size_t at = std::size_t(s.start[std::size_t(r)]);
        for (int c = 0; c < cols; ++c)
            if (row[c] != 0.0f) {
                s.column[at] = c;
                s.value[at++] = row[c];
            }
    });
    return s;
}

SparseRows SparseRows::rowRange(int begin, int end) const
{
    SparseRows s;
    s.rows = end - begin;
    s.cols = cols;
    const std::int64_t e0 = start[std::size_t(begin)], e1 = start[std::size_t(end)];
    s.start.resize(std::size_t(s.rows) + 1);
    for (int r = 0; r <= s.rows; ++r)
        s.start[std::size_t(r)] = start[std::size_t(begin) + std::size_t(r)] - e0;
    s.column.assign(column.begin() + e0, column.begin() + e1);
    s.value.assign(value.begin() + e0, value.begin() + e1);
    return s;
}

SparseRows SparseRows::transposed() const
{
    SparseRows t;
    t.rows = cols;
    t.cols = rows;
    t.start.assign(std::size_t(cols) + 1, 0);
    for (int c : column) ++t.start[std::size_t(c) + 1];
    for (int c = 0; c < cols; ++c) t.start[std::size_t(c) + 1] += t.start[std::size_t(c)];
    t.column.resize(column.size());
    t.value.resize(value.size());
    std::vector<std::int64_t> fill(t.start.begin(), t.start.end() - 1);
    for (int r = 0; r < rows; ++r)
        for (std::int64_t e = start[std::size_t(r)]; e < start[std::size_t(r) + 1]; ++e) {
            const std::int64_t at = fill[std::size_t(column[std::size_t(e)])]++;
            t.column[std::size_t(at)] = r;
            t.value[std::size_t(at)] = value[std::size_t(e)];
        }
    return t;
}

namespace {

// The portable products, one output entry at a time.
void portableRows(const SparseRows& A, const float* B, int n, const float* init, float* out,
                  int begin, int end)
{
    for (int r = begin; r < end; ++r) {
        float* o = out + std::size_t(r) * std::size_t(n);
        if (init)
            std::memcpy(o, init, sizeof(float) * std::size_t(n));
        else
            std::memset(o, 0, sizeof(float) * std::size_t(n));
        for (std::int64_t e = A.start[std::size_t(r)]; e < A.start[std::size_t(r) + 1]; ++e) {
            const float v = A.value[std::size_t(e)];
            const float* b = B + std::size_t(A.column[std::size_t(e)]) * std::size_t(n);
            for (int j = 0; j < n; ++j) o[j] += v * b[j];
        }
    }
}

// Rows [j0, j1) and columns [c0, c1) of A^T R + 1 init^T.
void portableTransposed(const SparseTransposedBlocks& At, const float* R, int n, float* out, int j0,
                        int j1, const float* init, int c0, int c1)
{
    for (int j = j0; j < j1; ++j)
        for (int c = c0; c < c1; ++c) out[std::size_t(j) * std::size_t(n) + c] = init ? init[c] : 0;
    for (std::size_t b = 0; b < At.blocks.size(); ++b) {
        const SparseRows& T = At.blocks[b];
        const float* Rb = R + b * std::size_t(At.blockRows) * std::size_t(n);
        for (int j = j0; j < j1; ++j) {
            float* o = out + std::size_t(j) * std::size_t(n);
            for (std::int64_t e = T.start[std::size_t(j)]; e < T.start[std::size_t(j) + 1]; ++e) {
                const float v = T.value[std::size_t(e)];
                const float* r = Rb + std::size_t(T.column[std::size_t(e)]) * std::size_t(n);
                for (int c = c0; c < c1; ++c) o[c] += v * r[c];
            }
        }
    }
}

// Splits columns [c0, c1) into chunks of up to MaxVectors vectors of `Lanes` floats and calls
// kernel[V - 1] on each, V being the chunk's vectors and `tail` the floats its last vector uses.
template <int Lanes, int MaxVectors = 8, class Kernel, class... Args>
void inChunks(const Kernel* kernels, int c0, int c1, Args&&... args)
{
    for (int c = c0; c < c1; c += MaxVectors * Lanes) {
        const int width = std::min(MaxVectors * Lanes, c1 - c),
                  vectors = (width + Lanes - 1) / Lanes;
        kernels[vectors - 1](args..., c, width - (vectors - 1) * Lanes);
    }
}

#ifdef NEUROLENS_SPARSE_X86
// This thread's buffer for a block's tile of R: `floats` of it, starting on a cache line. One per
// thread, kept from call to call; its address taken once per product (a thread_local's can cost a
// call each time).
float* tileBuffer(std::size_t floats)
{
    thread_local std::vector<float> buffer;
    buffer.resize(floats + 16);
    float* const base = buffer.data();
    return base + ((64 - (reinterpret_cast<std::uintptr_t>(base) & 63)) & 63) / sizeof(float);
}

// A float operand (A.cols x n, row-major) read in place.
struct FloatRows {
    const float* B;
    std::size_t n;

    float factor() const { return 1.0f; }
    const float* row(int r, int c0) const { return B + std::size_t(r) * n + std::size_t(c0); }
    __attribute__((target("avx512f"))) static __m512 load(const float* at, int u, __mmask16 mask)
    {
        return _mm512_maskz_loadu_ps(mask, at + 16 * std::ptrdiff_t(u));
    }
};

template <int V>
__attribute__((target("avx512f"))) void rows512(const SparseRows& A, const float* B, int n,
                                                const float* init, float* out, int begin, int end,
                                                int c0, int tail)
{
    kernels::rows512<V>(A, FloatRows{B, std::size_t(n)}, n, init, out, begin, end, c0, tail);
}

// Columns [c0, c0 + 16 (V - 1) + tail) of A^T R, block by block: the block's rows of R in those
// columns are first copied into a buffer that stays in L1 (160 rows x 48 floats: 30 KB), then every
// output row sums its nonzeros' rows of it and adds what the earlier blocks left. Reading R's rows
// at random from L2 instead bounded the product: L2 serves under half L1's loads a second (the
// measurements are in docs/performance.md).
template <int V>
__attribute__((target("avx512f"))) void transposed512(const SparseTransposedBlocks& At,
                                                      const float* R, int n, float* out, int j0,
                                                      int j1, const float* init, int c0, int tail)
{
    __mmask16 inside[V];
    for (int u = 0; u < V; ++u)
        inside[u] = u < V - 1 ? __mmask16(0xffffu) : __mmask16((1u << tail) - 1u);
    // Aligned to cache lines: unaligned, each of a row's loads would straddle two.
    float* const tile = tileBuffer(std::size_t(At.blockRows) * 16 * V);
    for (std::size_t b = 0; b < At.blocks.size(); ++b) {
        const SparseRows& T = At.blocks[b];
        const int rows = T.cols;
        const float* Rb = R + b * std::size_t(At.blockRows) * std::size_t(n) + std::size_t(c0);
        for (int i = 0; i < rows; ++i)
#pragma GCC unroll 8
            for (int u = 0; u < V; ++u)
                _mm512_storeu_ps(
                    tile + std::size_t(i) * 16 * V + 16 * std::ptrdiff_t(u),
                    _mm512_maskz_loadu_ps(
                        inside[u], Rb + std::size_t(i) * std::size_t(n) + 16 * std::ptrdiff_t(u)));
        const std::int64_t* start = T.start.data();
        const int* column = T.column.data();
        const float* value = T.value.data();
        for (int j = j0; j < j1; ++j) {
            float* o = out + std::size_t(j) * std::size_t(n) + std::size_t(c0);
            // The sum goes on from what the earlier blocks left (or init): the terms are added in
            // the order the row kernels add them, and give the same floats.
            const float* earlier = b > 0 ? o : init ? init + c0 : nullptr;
            __m512 acc[V];
#pragma GCC unroll 8
            for (int u = 0; u < V; ++u)
                acc[u] = earlier
                             ? _mm512_maskz_loadu_ps(inside[u], earlier + 16 * std::ptrdiff_t(u))
                             : _mm512_setzero_ps();
            for (std::int64_t e = start[j]; e < start[j + 1]; ++e) {
                const __m512 v = _mm512_set1_ps(value[e]);
                const float* r = tile + std::size_t(column[e]) * 16 * V;
#pragma GCC unroll 8
                for (int u = 0; u < V; ++u)
                    acc[u] =
                        _mm512_fmadd_ps(v, _mm512_loadu_ps(r + 16 * std::ptrdiff_t(u)), acc[u]);
            }
#pragma GCC unroll 8
            for (int u = 0; u < V; ++u)
                _mm512_mask_storeu_ps(o + 16 * std::ptrdiff_t(u), inside[u], acc[u]);
        }
    }
}

// The AVX2 twins: 8 floats a vector, the tail through a lane mask.
__attribute__((target("avx2"))) inline __m256i laneMask(int tail)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(tail), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

template <int V>
__attribute__((target("avx2,fma"))) void rows256(const SparseRows& A, const float* B, int n,
                                                 const float* init, float* out, int begin, int end,
                                                 int c0, int tail)
{
    const __m256i last = laneMask(tail);
    const std::int64_t* start = A.start.data();
    const int* column = A.column.data();
    const float* value = A.value.data();
    for (int r = begin; r < end; ++r) {
        __m256 acc[V];
        if (init) {
#pragma GCC unroll 8
            for (int u = 0; u < V - 1; ++u)
                acc[u] = _mm256_loadu_ps(init + c0 + 8 * std::ptrdiff_t(u));
            acc[V - 1] = _mm256_maskload_ps(init + c0 + 8 * std::ptrdiff_t(V - 1), last);
        } else {
#pragma GCC unroll 8
            for (int u = 0; u < V; ++u) acc[u] = _mm256_setzero_ps();
        }
        for (std::int64_t e = start[r]; e < start[r + 1]; ++e) {
            const __m256 v = _mm256_set1_ps(value[e]);
            const float* b = B + std::size_t(column[e]) * std::size_t(n) + std::size_t(c0);
#pragma GCC unroll 8
            for (int u = 0; u < V - 1; ++u)
                acc[u] = _mm256_fmadd_ps(v, _mm256_loadu_ps(b + 8 * std::ptrdiff_t(u)), acc[u]);
            acc[V - 1] = _mm256_fmadd_ps(v, _mm256_maskload_ps(b + 8 * std::ptrdiff_t(V - 1), last),
                                         acc[V - 1]);
        }
        float* o = out + std::size_t(r) * std::size_t(n) + std::size_t(c0);
#pragma GCC unroll 8
        for (int u = 0; u < V - 1; ++u) _mm256_storeu_ps(o + 8 * std::ptrdiff_t(u), acc[u]);
        _mm256_maskstore_ps(o + 8 * std::ptrdiff_t(V - 1), last, acc[V - 1]);
    }
}

// The AVX2 twin of transposed512: the block's rows of R in the chunk's columns copied into a
// cache-line-aligned buffer first, as there (read in place, strided, they would come from L2), and
// the next output row prefetched while this one is summed.
template <int V>
__attribute__((target("avx2,fma"))) void transposed256(const SparseTransposedBlocks& At,
                                                       const float* R, int n, float* out, int j0,
                                                       int j1, const float* init, int c0, int tail)
{
    const __m256i last = laneMask(tail);
    float* const tile = tileBuffer(std::size_t(At.blockRows) * 8 * V);
    for (std::size_t b = 0; b < At.blocks.size(); ++b) {
        const SparseRows& T = At.blocks[b];
        const int rows = T.cols;
        const float* Rb = R + b * std::size_t(At.blockRows) * std::size_t(n) + std::size_t(c0);
        for (int i = 0; i < rows; ++i) {
            const float* from = Rb + std::size_t(i) * std::size_t(n);
            float* to = tile + std::size_t(i) * 8 * V;
#pragma GCC unroll 8
            for (int u = 0; u < V - 1; ++u)
                _mm256_store_ps(to + 8 * std::ptrdiff_t(u),
                                _mm256_loadu_ps(from + 8 * std::ptrdiff_t(u)));
            _mm256_store_ps(to + 8 * std::ptrdiff_t(V - 1),
                            _mm256_maskload_ps(from + 8 * std::ptrdiff_t(V - 1), last));
        }
        const std::int64_t* start = T.start.data();
        const int* column = T.column.data();
        const float* value = T.value.data();
        for (int j = j0; j < j1; ++j) {
            if (j + 1 < j1) {
                const char* next = reinterpret_cast<const char*>(
                    out + std::size_t(j + 1) * std::size_t(n) + std::size_t(c0));
                for (int l = 0; l < 32 * V + 63; l += 64) _mm_prefetch(next + l, _MM_HINT_T0);
            }
            float* o = out + std::size_t(j) * std::size_t(n) + std::size_t(c0);
            const float* earlier = b > 0 ? o : init ? init + c0 : nullptr;
            __m256 acc[V];
            if (earlier) {
#pragma GCC unroll 8
                for (int u = 0; u < V - 1; ++u)
                    acc[u] = _mm256_loadu_ps(earlier + 8 * std::ptrdiff_t(u));
                acc[V - 1] = _mm256_maskload_ps(earlier + 8 * std::ptrdiff_t(V - 1), last);
            } else {
#pragma GCC unroll 8
                for (int u = 0; u < V; ++u) acc[u] = _mm256_setzero_ps();
            }
            for (std::int64_t e = start[j]; e < start[j + 1]; ++e) {
                const __m256 v = _mm256_set1_ps(value[e]);
                const float* r = tile + std::size_t(column[e]) * 8 * V;
#pragma GCC unroll 8
                for (int u = 0; u < V; ++u)
                    acc[u] = _mm256_fmadd_ps(v, _mm256_load_ps(r + 8 * std::ptrdiff_t(u)), acc[u]);
            }
#pragma GCC unroll 8
            for (int u = 0; u < V - 1; ++u) _mm256_storeu_ps(o + 8 * std::ptrdiff_t(u), acc[u]);
            _mm256_maskstore_ps(o + 8 * std::ptrdiff_t(V - 1), last, acc[V - 1]);
        }
    }
}

using RowsKernel = void (*)(const SparseRows&, const float*, int, const float*, float*, int, int,
                            int, int);
using TransposedKernel = void (*)(const SparseTransposedBlocks&, const float*, int, float*, int,
                                  int, const float*, int, int);
constexpr RowsKernel kRows512[] = {rows512<1>, rows512<2>, rows512<3>, rows512<4>,
                                   rows512<5>, rows512<6>, rows512<7>, rows512<8>};
constexpr RowsKernel kRows256[] = {rows256<1>, rows256<2>, rows256<3>, rows256<4>,
                                   rows256<5>, rows256<6>, rows256<7>, rows256<8>};
constexpr TransposedKernel kTransposed512[] = {transposed512<1>, transposed512<2>,
                                               transposed512<3>};
constexpr TransposedKernel kTransposed256[] = {transposed256<1>, transposed256<2>,
                                               transposed256<3>, transposed256<4>,
                                               transposed256<5>, transposed256<6>};

// 2: AVX-512, 1: AVX2 with FMA, 0: neither.
int vectorLevel()
{
    return cpu::avx512() ? 2 : cpu::avx2Fma() ? 1 : 0;
}
#endif

}  // namespace

void sparseTimesDense(const SparseRows& A, const float* B, int n, float* out, int begin, int end,
                      const float* init)
{
    if (begin >= end || n <= 0) return;
#ifdef NEUROLENS_SPARSE_X86
    // Chunks outermost: each chunk of B is read by every row while it is in cache.
    if (vectorLevel() == 2) return inChunks<16>(kRows512, 0, n, A, B, n, init, out, begin, end);
    if (vectorLevel() == 1) return inChunks<8>(kRows256, 0, n, A, B, n, init, out, begin, end);
#endif
    portableRows(A, B, n, init, out, begin, end);
}

SparseTransposedBlocks SparseTransposedBlocks::of(const SparseRows& A, int blockRows)
{
    SparseTransposedBlocks t;
    t.rows = A.cols;
    t.cols = A.rows;
    t.blockRows = std::max(1, blockRows);
    for (int b = 0; b < A.rows; b += t.blockRows)
        t.blocks.push_back(A.rowRange(b, std::min(A.rows, b + t.blockRows)).transposed());
    return t;
}

namespace {

// Rows [j0, j1) and columns [c0, c1) of out = A^T R + 1 init^T.
void transposedPart(const SparseTransposedBlocks& At, const float* R, int n, float* out, int j0,
                    int j1, const float* init, int c0, int c1)
{
    if (c0 >= c1 || j0 >= j1) return;
        // No blocks (A has no rows): the portable loop writes the offset, or zero.
#ifdef NEUROLENS_SPARSE_X86
    if (!At.blocks.empty() && vectorLevel() == 2)
        return inChunks<16, 3>(kTransposed512, c0, c1, At, R, n, out, j0, j1, init);
    if (!At.blocks.empty() && vectorLevel() == 1)
        return inChunks<8, 6>(kTransposed256, c0, c1, At, R, n, out, j0, j1, init);
#endif
    portableTransposed(At, R, n, out, j0, j1, init, c0, c1);
}

}  // namespace

void sparseTransposedTimesDense(const SparseTransposedBlocks& At, const float* R, int n, float* out,
                                int c0, int c1, const float* init)
{
    transposedPart(At, R, n, out, 0, At.rows, init, c0, c1);
}

SparseProduct::SparseProduct(SparseRows A) : rows_(std::move(A))
{
#ifdef NEUROLENS_SPARSE_X86
    if (vectorLevel() == 2) return;
#endif
    columns_ = SparseTransposedBlocks::of(rows_.transposed());
    rows_ = SparseRows{};
}

void SparseProduct::times(const float* B, int n, float* out, const float* init, int threads) const
{
    if (columns_) return parallelSparseTransposedTimesDense(*columns_, B, n, out, threads, init);
    parallelSparseTimesDense(rows_, B, n, out, threads, init);
}

void parallelSparseTimesDense(const SparseRows& A, const float* B, int n, float* out, int threads,
                              const float* init)
{
    parallelForChunks(
        A.rows, kRowChunks,
        [&](int, std::int64_t r0, std::int64_t r1) {
            sparseTimesDense(A, B, n, out, int(r0), int(r1), init);
        },
        threads);
}

void parallelSparseTransposedTimesDense(const SparseTransposedBlocks& At, const float* R, int n,
                                        float* out, int threads, const float* init)
{
    // Pieces of 48 columns (the AVX-512 kernel's chunk) by 512 rows (their part of out stays in
    // L2 while every block is summed into it), taken by the threads as they come free: a core that
    // stalls holds back one piece, not half the product.
    constexpr int piece = 48, rowPiece = 512;
    const int pieces = std::max(1, (n + piece - 1) / piece),
              rowPieces = std::max(1, (At.rows + rowPiece - 1) / rowPiece);
    parallelFor(
        pieces * rowPieces,
        [&](int p) {
            const int c = p / rowPieces, r = p % rowPieces;
            transposedPart(At, R, n, out, std::min(At.rows, rowPiece * r),
                           std::min(At.rows, rowPiece * (r + 1)), init, std::min(n, piece * c),
                           std::min(n, piece * (c + 1)));
        },
        threads);
}

}  // namespace neurolens
