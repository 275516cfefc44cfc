#pragma once
// The AVX-512 frame shared by the sparse-times-dense kernels (SparseRows.cpp: a float operand read
// in place; SparseHalf.cpp: a half-precision one packed by chunk): for each row in [begin, end), V
// vectors of accumulators held in registers across the row's nonzeros (the loops fully unrolled, or
// GCC keeps the array in memory at -O2), starting from `init` (or zero), then stored with the last
// vector masked to `tail` floats. The operand supplies where a row's part of the chunk starting at
// column c0 begins, its vector u there (the lanes outside `mask` zero, or padding that is zero),
// and the factor its values carry (a power of two, or 1). Included only where the CPU's AVX-512 is
// chosen at run time; every function here is compiled for it.

#include "SparseRows.h"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace neurolens::kernels {

template <int V, class Operand>
__attribute__((target("avx512f"))) inline void rows512(const SparseRows& A, const Operand& B, int n,
                                                       const float* init, float* out, int begin,
                                                       int end, int c0, int tail)
{
    const __mmask16 last = __mmask16((1u << tail) - 1u), all = 0xffff;
    const std::int64_t* start = A.start.data();
    const int* column = A.column.data();
    const float* value = A.value.data();
    const Operand op = B;  // a local copy: its fields stay in registers
    const float factor = op.factor();
    for (int r = begin; r < end; ++r) {
        __m512 acc[V];
        if (init) {
#pragma GCC unroll 8
            for (int u = 0; u < V; ++u)
                acc[u] = _mm512_maskz_loadu_ps(u < V - 1 ? all : last,
                                               init + c0 + 16 * std::ptrdiff_t(u));
        } else {
#pragma GCC unroll 8
            for (int u = 0; u < V; ++u) acc[u] = _mm512_setzero_ps();
        }
        for (std::int64_t e = start[r]; e < start[r + 1]; ++e) {
            const __m512 v = _mm512_set1_ps(value[e] * factor);
            const auto* row = op.row(column[e], c0);
#pragma GCC unroll 8
            for (int u = 0; u < V; ++u)
                acc[u] = _mm512_fmadd_ps(v, op.load(row, u, u < V - 1 ? all : last), acc[u]);
        }
        float* o = out + std::size_t(r) * std::size_t(n) + std::size_t(c0);
#pragma GCC unroll 8
        for (int u = 0; u < V - 1; ++u) _mm512_storeu_ps(o + 16 * std::ptrdiff_t(u), acc[u]);
        _mm512_mask_storeu_ps(o + 16 * std::ptrdiff_t(V - 1), last, acc[V - 1]);
    }
}

}  // namespace neurolens::kernels
