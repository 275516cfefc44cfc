#pragma once
// Spike counts times an operand rounded to 8 bits per column, summed in integers: the logistic
// regression's logits along a search direction, and the dot products of t-SNE's exact neighbours
// (counts times counts, held exactly). Sparse products are bound by how fast the dense
// operand arrives (SparseHalf.h); at one byte an entry it arrives twice as fast as in half
// precision, and AVX-512 VNNI multiplies four nonzeros' bytes in one instruction. The sums are
// whole numbers, exact in any order, so every CPU gives the same floats: the VNNI kernel where the
// CPU has one, elsewhere the counts' product with the rounded values held in half precision
// (SparseHalf.h: exact for whole numbers up to 127, and no partial sum reaches 2^24, which of()
// checks), as fast as the half-precision direction was there.
//
// A direction rounded to 127 levels per column is still a descent direction, and the solver moves
// along exactly the one multiplied (docs/performance.md, "An 8-bit direction").

#include "SparseHalf.h"
#include "SparseRows.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace neurolens {

// B (rows x cols) times a scale per row, rounded per column: entry (r, c) ~ q[r][c] step[c], q in
// [-127, 127], step[c] the column's largest magnitude / 127 rounded to float (0 for a zero column).
struct Int8Columns {
    static constexpr int kBlock = 64;  // columns per block of the packed layout

    int rows = 0, cols = 0, stride = 0;  // stride: cols rounded up to a whole block
    std::vector<float> step;             // stride (zero past cols)
    std::vector<float> value;            // rows x cols, row-major: q, as floats
    // rows x stride: q, each block's 64 columns permuted so that the VNNI kernel's byte interleave
    // leaves its sums in column order (the padding zero).
    std::vector<std::int8_t, CacheAligned<std::int8_t>> packed;

    // Rounds B[r][c] rowScale[r] (B row-major), on the threads; false (and nothing usable) when an
    // entry is not finite.
    bool assign(const double* B, const double* rowScale, int rows, int cols);
    // Holds B (rows x cols, row-major) exactly, q = B factor and step 1 / factor, when every entry
    // times factor is a whole number in [-127, 127] (to float precision); false otherwise.
    bool assignWhole(const float* B, int rows, int cols, int factor);

private:
    void shape(int rows, int cols);    // sizes the storage, steps zero
    void put(int r, int c, double q);  // q at (r, c), in value and packed
};

// A sparse matrix of counts over a common factor, A = M / factor: M's entries whole numbers in
// [0, 255] and every row's sum of M at most kLargestRowSum (so that 127 times it stays below 2^24).
class SparseCounts {
public:
    static constexpr double kLargestRowSum = 132104;

    // A as M / factor for the smallest factor in 1..64 that makes every value whole (to float
    // precision); nothing when none does, or a value or row is too large. integerKernel false takes
    // the route of CPUs without VNNI whatever this one has (for tests).
    static std::optional<SparseCounts> of(const SparseRows& A, bool integerKernel = true);

    int factor() const { return factor_; }
    int rows() const { return rows_; }
    // Whether the products run through the VNNI kernel (on other CPUs they cost what the half-
    // precision direction's do).
    bool integerKernel() const { return !product_; }

    // out (rows x B.cols, row-major) = A (B diag(step)) + 1 offset^T, on the threads: each entry
    // float(S mult + offset) in double, where S = (M q) row by column, summed exactly, and mult =
    // float(step / factor), so that S mult is exact and every CPU rounds the same. offset: B.cols.
    // threads: as parallelFor's (0: every core).
    void times(const Int8Columns& B, const double* offset, float* out, int threads = 0);

private:
    int rows_ = 0, factor_ = 1;
    std::optional<SparseProduct> product_;  // M, where there is no VNNI kernel
    HalfRounded half_;                      // and B's q there
    // For the VNNI kernel: each row's nonzeros in groups of four (the last padded with zero
    // counts), their columns and their counts packed a byte each into one word.
    std::vector<std::int64_t> groupStart_;  // rows + 1
    std::vector<int> groupColumn_;          // 4 per group
    std::vector<std::uint32_t> groupCounts_;
};

}  // namespace neurolens
