#pragma once
// A sparse matrix in compressed rows (float), and its product with a dense row-major matrix, vectorised
// with AVX-512 or AVX2 where the CPU has them (chosen at run time). Spike counts in short bins are
// mostly zeros (87 % of a simulated 30 Hz session's 9 000 x 765 counts): their products with a layer's
// weights then cost a seventh of a dense GEMM's arithmetic.

#include <cstdint>
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
    double density() const { return rows && cols ? double(value.size()) / (double(rows) * double(cols)) : 0.0; }
};

// out[r] = sum_k A[r, k] B[k] for rows r in [begin, end): B is A.cols x n and out A.rows x n, row-major.
void sparseTimesDense(const SparseRows& A, const float* B, int n, float* out, int begin, int end);

}  // namespace neurolens
