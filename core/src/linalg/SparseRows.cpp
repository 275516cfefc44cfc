#include "SparseRows.h"

#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NEUROLENS_SPARSE_X86 1
#endif

namespace neurolens {

SparseRows SparseRows::fromDense(const float* dense, int rows, int cols)
{
    SparseRows s;
    s.rows = rows;
    s.cols = cols;
    s.start.assign(std::size_t(rows) + 1, 0);
    for (int r = 0; r < rows; ++r) {
        const float* row = dense + std::size_t(r) * std::size_t(cols);
        for (int c = 0; c < cols; ++c)
            if (row[c] != 0.0f) {
                s.column.push_back(c);
                s.value.push_back(row[c]);
            }
        s.start[std::size_t(r) + 1] = std::int64_t(s.value.size());
    }
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

// Row r's output columns [from, n), one nonzero at a time.
void columns(const SparseRows& A, const float* B, int n, float* o, int r, int from)
{
    if (from >= n) return;
    std::memset(o + from, 0, sizeof(float) * std::size_t(n - from));
    for (std::int64_t e = A.start[std::size_t(r)]; e < A.start[std::size_t(r) + 1]; ++e) {
        const float v = A.value[std::size_t(e)];
        const float* b = B + std::size_t(A.column[std::size_t(e)]) * std::size_t(n);
        for (int j = from; j < n; ++j) o[j] += v * b[j];
    }
}

void portable(const SparseRows& A, const float* B, int n, float* out, int begin, int end)
{
    for (int r = begin; r < end; ++r) columns(A, B, n, out + std::size_t(r) * std::size_t(n), r, 0);
}

#ifdef NEUROLENS_SPARSE_X86
// Each row's output is kept in registers, `Width` floats at a time (8 vectors), while its nonzeros stream
// by: one broadcast, 8 loads and 8 FMAs per nonzero.
__attribute__((target("avx512f"))) void avx512(const SparseRows& A, const float* B, int n, float* out, int begin, int end)
{
    constexpr int Width = 128;
    const int full = n / Width * Width;
    for (int r = begin; r < end; ++r) {
        float* o = out + std::size_t(r) * std::size_t(n);
        const std::int64_t e0 = A.start[std::size_t(r)], e1 = A.start[std::size_t(r) + 1];
        for (int j0 = 0; j0 < full; j0 += Width) {
            __m512 acc[8];
            for (auto& a : acc) a = _mm512_setzero_ps();
            for (std::int64_t e = e0; e < e1; ++e) {
                const __m512 v = _mm512_set1_ps(A.value[std::size_t(e)]);
                const float* b = B + std::size_t(A.column[std::size_t(e)]) * std::size_t(n) + std::size_t(j0);
                for (int u = 0; u < 8; ++u) acc[u] = _mm512_fmadd_ps(v, _mm512_loadu_ps(b + 16 * u), acc[u]);
            }
            for (int u = 0; u < 8; ++u) _mm512_storeu_ps(o + j0 + 16 * u, acc[u]);
        }
        columns(A, B, n, o, r, full);
    }
}

__attribute__((target("avx2,fma"))) void avx2(const SparseRows& A, const float* B, int n, float* out, int begin, int end)
{
    constexpr int Width = 64;
    const int full = n / Width * Width;
    for (int r = begin; r < end; ++r) {
        float* o = out + std::size_t(r) * std::size_t(n);
        const std::int64_t e0 = A.start[std::size_t(r)], e1 = A.start[std::size_t(r) + 1];
        for (int j0 = 0; j0 < full; j0 += Width) {
            __m256 acc[8];
            for (auto& a : acc) a = _mm256_setzero_ps();
            for (std::int64_t e = e0; e < e1; ++e) {
                const __m256 v = _mm256_set1_ps(A.value[std::size_t(e)]);
                const float* b = B + std::size_t(A.column[std::size_t(e)]) * std::size_t(n) + std::size_t(j0);
                for (int u = 0; u < 8; ++u) acc[u] = _mm256_fmadd_ps(v, _mm256_loadu_ps(b + 8 * u), acc[u]);
            }
            for (int u = 0; u < 8; ++u) _mm256_storeu_ps(o + j0 + 8 * u, acc[u]);
        }
        columns(A, B, n, o, r, full);
    }
}
#endif

}  // namespace

void sparseTimesDense(const SparseRows& A, const float* B, int n, float* out, int begin, int end)
{
#ifdef NEUROLENS_SPARSE_X86
    static const int level = __builtin_cpu_supports("avx512f") ? 2 : (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 1 : 0;
    if (level == 2) return avx512(A, B, n, out, begin, end);
    if (level == 1) return avx2(A, B, n, out, begin, end);
#endif
    portable(A, B, n, out, begin, end);
}

}  // namespace neurolens
