#pragma once
// A sparse matrix in compressed rows (float), and its products with dense row-major matrices,
// vectorised with AVX-512 or AVX2 where the CPU has them (chosen at run time). Spike counts in
// short bins are mostly zeros (87 % of a simulated 30 Hz session's 9 000 x 765 counts): their
// products with a layer's weights, or with a decoder's, then cost a seventh of a dense GEMM's
// arithmetic.
//
// The row products walk the dense matrix in column chunks of 128 floats on AVX-512, 64 on AVX2 (8
// registers of accumulators), chunk outermost, so that the chunk of the dense operand being read
// stays in the core's L2 cache while every sparse row streams past it; A^T R copies each block of
// R's rows, 48 columns at a time, into a buffer that stays in L1 (SparseRows.cpp). Every product
// adds a row's terms in the same order, so the results do not depend on how the work is split, nor
// on which of the two ways (by rows, or by blocks of columns below) it is done.

#include <cstdint>
#include <optional>
#include <vector>

namespace neurolens {

struct SparseRows {
    int rows = 0, cols = 0;
    std::vector<std::int64_t> start;  // rows + 1
    std::vector<int> column;
    std::vector<float> value;

    // From a dense row-major matrix (exact zeros dropped).
    static SparseRows fromDense(const float* dense, int rows, int cols);
    SparseRows transposed() const;
    // Rows [begin, end) as a matrix of their own.
    SparseRows rowRange(int begin, int end) const;
    double density() const
    {
        return rows && cols ? double(value.size()) / (double(rows) * double(cols)) : 0.0;
    }
};

// Products from the nonzeros pay when under this fraction of the entries is nonzero (measured
// against OpenBLAS's float GEMMs on two cores: 2.7x faster at the 13 % of a 30 Hz session's
// counts).
constexpr double kSparseProductsBelow = 0.25;

// out[r] = init + sum_k A[r, k] B[k] for rows r in [begin, end): B is A.cols x n and out A.rows x
// n, row-major; init a row of n (null: zero), added to every row as the sum's first term.
void sparseTimesDense(const SparseRows& A, const float* B, int n, float* out, int begin, int end,
                      const float* init = nullptr);
// The same for every row, the rows split among `threads` (0: every core) in kRowChunks fixed
// chunks.
constexpr int kRowChunks = 32;
void parallelSparseTimesDense(const SparseRows& A, const float* B, int n, float* out,
                              int threads = 0, const float* init = nullptr);

// A^T held as A's rows cut into blocks, each block transposed: A^T R then reads R one block of rows
// at a time, and that block's chunk of R stays in cache while it is summed into every output row
// (160 rows of 48 floats: L1). Made of M^T, it holds M cut into blocks of its columns, and M B
// then reads B a block of rows at a time (on AVX2 faster than sparseTimesDense, which reads B's
// chunk from L2).
struct SparseTransposedBlocks {
    int rows = 0, cols = 0;          // of A^T (A.cols x A.rows)
    int blockRows = 0;               // rows of A per block
    std::vector<SparseRows> blocks;  // block b: the transpose of A's rows [b * blockRows, ...)

    static SparseTransposedBlocks of(const SparseRows& A, int blockRows = 160);
};

// A sparse matrix held for repeated products A B + 1 init^T on the threads: on AVX-512 row by row
// (parallelSparseTimesDense, which reads B's chunk from L2), elsewhere with A cut into blocks of
// its columns (SparseTransposedBlocks of A^T), which reads B's block from L1 (on AVX2, about two
// thirds of the row-by-row product's time: neurolens-sparse-bench). The same floats either way.
class SparseProduct {
public:
    explicit SparseProduct(SparseRows A);
    // out (A.rows x n, row-major) = A B + 1 init^T for B (A.cols x n, row-major); init null: zero.
    void times(const float* B, int n, float* out, const float* init = nullptr,
               int threads = 0) const;
    bool byRows() const { return !columns_; }
    // A's rows, kept only when byRows() (the column blocks hold the nonzeros otherwise).
    const SparseRows& rows() const { return rows_; }

private:
    SparseRows rows_;
    std::optional<SparseTransposedBlocks> columns_;
};

// Columns [c0, c1) of out = A^T R + 1 init^T, where R is A.rows x n and out A.cols x n, both
// row-major, and init a row of n (null: zero), the sums' first term.
void sparseTransposedTimesDense(const SparseTransposedBlocks& At, const float* R, int n, float* out,
                                int c0, int c1, const float* init = nullptr);
// All of out, split among `threads` (0: every core) in pieces of 48 columns by 512 rows.
void parallelSparseTransposedTimesDense(const SparseTransposedBlocks& At, const float* R, int n,
                                        float* out, int threads = 0, const float* init = nullptr);

}  // namespace neurolens
