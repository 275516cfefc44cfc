#include "neurolens/linalg/Simd.h"

#include "Cpu.h"

#include <cstdlib>
#include <cstring>

namespace neurolens {

SimdLevel simdLevelSupported()
{
#if NEUROLENS_X86_KERNELS
    static const SimdLevel best = __builtin_cpu_supports("avx512f") ? SimdLevel::Avx512
                                  : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
                                      ? SimdLevel::Avx2
                                      : SimdLevel::Portable;
    return best;
#else
    return SimdLevel::Portable;
#endif
}

SimdLevel simdLevel()
{
    static const SimdLevel level = [] {
        SimdLevel cap = SimdLevel::Avx512;
        if (const char* asked = std::getenv("NEUROLENS_SIMD")) {
            if (std::strcmp(asked, "portable") == 0)
                cap = SimdLevel::Portable;
            else if (std::strcmp(asked, "avx2") == 0)
                cap = SimdLevel::Avx2;
        }
        const SimdLevel best = simdLevelSupported();
        return int(cap) < int(best) ? cap : best;
    }();
    return level;
}

const char* simdLevelName(SimdLevel level)
{
    switch (level) {
        case SimdLevel::Portable:
            return "portable";
        case SimdLevel::Avx2:
            return "avx2";
        case SimdLevel::Avx512:
            return "avx512";
    }
    return "portable";
}

void clearUpperVectorState()
{
#if defined(__x86_64__)
    static const bool avx = __builtin_cpu_supports("avx");
    if (avx) __asm__ volatile("vzeroupper" ::: "memory");
#endif
}

}  // namespace neurolens
