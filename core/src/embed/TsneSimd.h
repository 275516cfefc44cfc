#pragma once
// The two pairwise loops of 2D t-SNE that run every iteration, vectorised with AVX2 where the CPU
// has it (chosen at run time; the portable loops otherwise). Each output is a sum over one point's
// partners in a fixed order, so results do not depend on the threads (they may differ in the last
// bits between the two code paths).

#include <cstdint>

namespace neurolens::tsne {

// g[2i..2i+1] = scale * sum_e value[e] (y_i - y_j) / (1 + |y_i - y_j|^2), j = column[e], e in
// [start[i], start[i + 1]), for i in [begin, end); y interleaved (x0, y0, x1, y1, ...).
void attraction2D(const std::int64_t* start, const int* column, const float* value, const float* y,
                  float* g, int begin, int end, float scale);

// Over the `count` points (px[j], py[j]): z += sum w, r += sum w^2 (p - q), w = 1 / (1 + |p -
// q|^2), p = (x0, x1). A point at p itself contributes w = 1 to z and nothing to r.
void pairSums2D(float x0, float x1, const float* px, const float* py, int count, double& r0,
                double& r1, double& z);

}  // namespace neurolens::tsne
