#pragma once
// The logistic regression's features and their products (LogisticRegression.cpp's solver and
// predictions use them): standardised counts held as their nonzeros, or as a dense matrix.

#include "linalg/SparseCounts.h"
#include "linalg/SparseHalf.h"
#include "linalg/SparseRows.h"
#include "neurolens/data/Responses.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <optional>

namespace neurolens::logistic {

using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// C (m x n, row-major) = A (m x k, row-major) * B (k x n, row-major) + beta C, through BLAS: in
// column-major terms C^T (n x m) = B^T (n x k) * A^T (k x m).
void gemmAB(const float* A, int m, int k, const float* B, int n, float beta, float* C);

// The nonzeros of a row-major matrix (copied first only when its rows are not contiguous).
SparseRows nonzerosOf(const Eigen::Ref<const RowMatrixXf>& rows);

// Features standardised as X_s = (X - 1 shift^T) diag(scale): the training mean and the inverse
// deviation, or none. Their product with D (d x K) from the raw rows' nonzeros X, the
// standardisation moved onto D:
//     X_s D + 1 b^T = X (diag(scale) D) + 1 (b - D^T (scale . shift))^T.
struct Standardisation {
    Eigen::RowVectorXd shift, scale, unscale;  // unscale = 1 / scale

    Standardisation(const Standardiser* standardiser, Eigen::Index d)
        : shift(standardiser ? standardiser->mean : Eigen::RowVectorXd::Zero(d)),
          scale(standardiser ? Eigen::RowVectorXd(standardiser->scale.cwiseInverse())
                             : Eigen::RowVectorXd::Ones(d)),
          unscale(scale.cwiseInverse())
    {
    }

    // diag(scale) D in float, on the threads.
    void scaleRows(const Eigen::Ref<const RowMatrixXd>& D, RowMatrixXf& B) const;

    // b - D^T (scale . shift): the product's offset, added to every row.
    Eigen::RowVectorXd offset(const Eigen::Ref<const RowMatrixXd>& D,
                              const Eigen::Ref<const Eigen::RowVectorXd>& b) const;
};

// out (n x K) = X_s D + 1 b^T for D (d x K), from X's nonzeros (the offset is the sums' first
// term).
void standardisedTimes(const SparseRows& X, const Standardisation& st,
                       const Eigen::Ref<const RowMatrixXd>& D,
                       const Eigen::Ref<const Eigen::RowVectorXd>& b, RowMatrixXf& out);

// The standardised training features X_s = (X - 1 mu^T) diag(s) and the solver's two products with
// them. When most raw entries are zero (spike counts in short bins: 87 % of a 30 Hz session's), the
// products come from the raw matrix's nonzeros with the standardisation moved onto the other
// operand:
//     X_s D = X (diag(s) D) - 1 (D^T (s . mu))^T,      X_s^T R = diag(s) (X^T R - mu 1^T R),
// at a seventh of a dense GEMM's arithmetic; otherwise X_s is formed and the products are BLAS
// GEMMs. Weights are held transposed (features x classes), so that both products' other operands
// are laid out as the parameters are.
class Features {
public:
    // From the nonzeros when their density is under sparseBelow, or under countsSparseBelow for
    // counts that the CPU sums in integers (SparseCounts::integerKernel); dense otherwise, and
    // always when sparseBelow is 0.
    Features(const Eigen::Ref<const RowMatrixXf>& rows, const Standardiser* standardiser,
             double sparseBelow, double countsSparseBelow);

    // out (n x K) = X_s D + 1 b^T for a search direction D (d x K, row-major) and b (K), both
    // double. From the nonzeros, diag(s) D is rounded first, and D with it, in place: the solver
    // then moves along exactly the direction whose logits these are. Spike counts (whole numbers
    // over a common factor) take it rounded to 8 bits per class (SparseCounts.h), other values to
    // half precision (SparseHalf.h).
    void alongDirection(double* D, const double* b, int K, RowMatrixXf& out);

    // g = factor X_s^T R + x (all d x K, row-major, double) for R (n x K) with column sums `sums`.
    void transposedTimes(const RowMatrixXf& R, const Eigen::RowVectorXd& sums, double factor,
                         const double* x, double* g);

    // h = 1 + C diag(X_s^T diag(Q_k) X_s) for every class k (d x K, row-major, into h) from Q (n x
    // K), each entry the softmax's own curvature p (1 - p), and its column sums. From the
    // nonzeros, with the standardisation expanded: sum_i (s (x_i - mu))^2 q_i = s^2 (sum_i x_i^2
    // q_i - 2 mu sum_i x_i q_i + mu^2 sum_i q_i), the squared counts' blocks made on first use.
    void curvature(const RowMatrixXf& Q, const Eigen::RowVectorXd& sums, double C, double* h);

private:
    int n_, d_;
    Standardisation st_;
    std::optional<SparseCounts> counts_;   // the nonzeros, when they are counts
    std::optional<SparseProduct> sparse_;  // or else
    Int8Columns int8_;                     // the last direction, rounded for counts_
    std::optional<SparseTransposedBlocks> transposed_;
    std::optional<SparseTransposedBlocks> squared_;  // the nonzeros squared, for curvature()
    RowMatrixXf dense_;
    RowMatrixXf scaled_;   // diag(s) D of the last direction (curvature()'s scratch too)
    RowMatrixXf product_;  // X_s^T R of the last gradient (curvature()'s scratch too)
    HalfRounded rounded_;  // and rounded
};

}  // namespace neurolens::logistic
