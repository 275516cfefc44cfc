#pragma once
// What the kernels chosen at run time may use (neurolens/linalg/Simd.h): the CPU's features, capped
// by the NEUROLENS_SIMD level. NEUROLENS_X86_KERNELS says whether the x86 kernels are compiled at
// all; the portable loops are always there.

#include "neurolens/linalg/Simd.h"

#if defined(__x86_64__) || defined(__i386__)
#define NEUROLENS_X86_KERNELS 1
#else
#define NEUROLENS_X86_KERNELS 0
#endif

namespace neurolens::cpu {

#if NEUROLENS_X86_KERNELS
inline bool avx512()
{
    static const bool yes = simdLevel() >= SimdLevel::Avx512;
    return yes;
}

inline bool avx2Fma()
{
    static const bool yes = simdLevel() >= SimdLevel::Avx2;
    return yes;
}

// F16C conversions: every AVX2 CPU has them; they count as part of the AVX2 level.
inline bool f16c()
{
    static const bool yes = simdLevel() >= SimdLevel::Avx2 && __builtin_cpu_supports("f16c");
    return yes;
}
#endif

}  // namespace neurolens::cpu
