#pragma once
// A dense operand rounded to half precision, for sparse products whose dense side may be rounded: a
// search direction, along which a solver then moves by exactly what was multiplied. The sparse
// kernels are bound by reading the dense operand from L2 (AVX-512: a third of the arithmetic peak);
// in half precision it is half the bytes, and the product of a 30 Hz session's counts with a 765 x
// 900 operand takes 16-17 ms on two cores instead of 19-23 (alternating stand-alone runs).
//
// The values are scaled by a power of two first, so that the largest is near 2^15 and every entry
// keeps half precision's 11 significant bits whatever its size (relative rounding <= 2^-11). The
// rounded values are also kept in float (exactly): products through them give the same floats as
// the half kernel, so the result does not depend on the CPU (barring a scale so extreme that a
// count times it under- or overflows).

#include "SparseRows.h"

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace neurolens {

// Cache-line aligned storage: the kernel's 32-byte loads then never straddle two lines.
template <class T>
struct CacheAligned {
    using value_type = T;
    CacheAligned() = default;
    template <class U>
    CacheAligned(const CacheAligned<U>&)
    {
    }
    T* allocate(std::size_t n)
    {
        return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(64)));
    }
    void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t(64)); }
    template <class U>
    bool operator==(const CacheAligned<U>&) const
    {
        return true;
    }
    template <class U>
    bool operator!=(const CacheAligned<U>&) const
    {
        return false;
    }
};

struct HalfRounded {
    static constexpr int kChunk = 128;  // columns per packed chunk

    int rows = 0, cols = 0;
    float scale = 1;           // a power of two: value = scale * half
    std::vector<float> value;  // rows x cols, row-major: the rounded values, exactly
    // Chunk c (columns [128 c, 128 c + 128)), row r: 128 halves of value / scale (the last chunk's
    // columns beyond cols are zero).
    std::vector<std::uint16_t, CacheAligned<std::uint16_t>> packed;

    // Holds B (rows x cols, row-major) rounded to the nearest scale * half, computed on the threads
    // (the storage kept from call to call).
    void assign(const float* B, int rows, int cols);
};

// out[r] = init + sum_k A[r, k] B[k] for rows r in [begin, end) (as sparseTimesDense, B rounded):
// out is A.rows x B.cols, row-major, init a row of B.cols or null.
void sparseTimesHalf(const SparseRows& A, const HalfRounded& B, float* out, int begin, int end,
                     const float* init = nullptr);
// The same for every row, on the threads: on AVX-512 (A held by rows) from the packed halves, row
// by row; elsewhere A's product with the rounded floats through its column blocks.
void parallelSparseTimesHalf(const SparseProduct& A, const HalfRounded& B, float* out,
                             const float* init = nullptr, int threads = 0);

// Half-precision conversions (round to nearest, ties to even), for tests and portable paths.
std::uint16_t toHalf(float x);
float fromHalf(std::uint16_t h);

}  // namespace neurolens
