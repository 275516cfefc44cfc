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

#if NEUROLENS_X86_KERNELS
#include <cpuid.h>
#endif

namespace neurolens::cpu {

#if NEUROLENS_X86_KERNELS
inline bool avx512()
{
    static const bool yes = simdLevel() >= SimdLevel::Avx512;
    return yes;
}

// AVX-512 VNNI, with BW for the byte shuffles around it, at the AVX-512 level: CPUID leaf 7 (EBX
// bit 30, ECX bit 11), read directly under both compilers.
inline bool avx512Vnni()
{
    static const bool yes = avx512() && [] {
        unsigned a = 0, b = 0, c = 0, d = 0;
        return __get_cpuid_count(7, 0, &a, &b, &c, &d) != 0 && (b & (1u << 30)) != 0 &&
               (c & (1u << 11)) != 0;
    }();
    return yes;
}

inline bool avx2Fma()
{
    static const bool yes = simdLevel() >= SimdLevel::Avx2;
    return yes;
}

// F16C conversions: every AVX2 CPU has them; they count as part of the AVX2 level.
// Clang's __builtin_cpu_supports does not know "f16c" (GCC's does): under clang the CPUID bit is
// read directly (leaf 1, ECX bit 29); the GCC build keeps the builtin.
inline bool f16c()
{
#if defined(__clang__)
    static const bool yes = simdLevel() >= SimdLevel::Avx2 && [] {
        unsigned a = 0, b = 0, c = 0, d = 0;
        return __get_cpuid(1, &a, &b, &c, &d) != 0 && (c & bit_F16C) != 0;
    }();
#else
    static const bool yes = simdLevel() >= SimdLevel::Avx2 && __builtin_cpu_supports("f16c");
#endif
    return yes;
}
#endif

}  // namespace neurolens::cpu
