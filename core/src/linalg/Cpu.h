#pragma once
// What the CPU offers, asked once per process, for the kernels chosen at run time (x86 only; the
// portable loops elsewhere).

namespace neurolens::cpu {

#if defined(__x86_64__) || defined(__i386__)
inline bool avx512()
{
    static const bool yes = __builtin_cpu_supports("avx512f");
    return yes;
}

inline bool avx2Fma()
{
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
}

inline bool f16c()
{
    static const bool yes = __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
    return yes;
}
#endif

}  // namespace neurolens::cpu
