#pragma once
// The instruction-set level the run-time-chosen kernels (sparse products, half-precision packing,
// softmax, the two-loop recursion, t-SNE's sums) use: the best the CPU offers, capped by the
// environment variable NEUROLENS_SIMD (portable | avx2 | avx512), read once per process. Tests run
// the kernels at every level the machine supports; benchmarks print the level they ran at.

namespace neurolens {

enum class SimdLevel { Portable = 0, Avx2 = 1, Avx512 = 2 };

SimdLevel simdLevel();
// The best level this CPU offers, whatever NEUROLENS_SIMD says.
SimdLevel simdLevelSupported();
const char* simdLevelName(SimdLevel level);

// Clears the upper halves of the vector registers (vzeroupper) where the CPU has AVX. A thread
// whose upper state was left dirty (by code that skipped vzeroupper, e.g. a JIT-compiled renderer),
// and every thread created from it, runs SSE code with false dependencies: seen in the window's
// workers, the simulator 4x and a loop of exp() 30x slower than in the CLI. Called where our
// threads start work and after rendering.
void clearUpperVectorState();

}  // namespace neurolens
