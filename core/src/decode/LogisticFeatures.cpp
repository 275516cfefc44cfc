#include "LogisticFeatures.h"

#include "linalg/Blas.h"
#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace neurolens::logistic {

// C (m x n, row-major) = A (m x k, row-major) * B (k x n, row-major) + beta C, through BLAS: in
// column-major terms C^T (n x m) = B^T (n x k) * A^T (k x m).
void gemmAB(const float* A, int m, int k, const float* B, int n, float beta, float* C)
{
    const float one = 1.0f;
    sgemm_("N", "N", &n, &m, &k, &one, B, &n, A, &k, &beta, C, &n, 1, 1);
}

// The nonzeros of a row-major matrix (copied first only when its rows are not contiguous).
SparseRows nonzerosOf(const Eigen::Ref<const RowMatrixXf>& rows)
{
    if (rows.outerStride() == rows.cols())
        return SparseRows::fromDense(rows.data(), int(rows.rows()), int(rows.cols()));
    const RowMatrixXf dense(rows);
    return SparseRows::fromDense(dense.data(), int(dense.rows()), int(dense.cols()));
}

void Standardisation::scaleRows(const Eigen::Ref<const RowMatrixXd>& D, RowMatrixXf& B) const
{
    B.resize(D.rows(), D.cols());
    parallelFor(int(D.rows()), [&](int j) { B.row(j) = (scale[j] * D.row(j)).cast<float>(); });
}

Eigen::RowVectorXd Standardisation::offset(const Eigen::Ref<const RowMatrixXd>& D,
                                           const Eigen::Ref<const Eigen::RowVectorXd>& b) const
{
    return b - scale.cwiseProduct(shift) * D;
}

// out (n x K) = X_s D + 1 b^T for D (d x K), from X's nonzeros (the offset is the sums' first
// term).
void standardisedTimes(const SparseRows& X, const Standardisation& st,
                       const Eigen::Ref<const RowMatrixXd>& D,
                       const Eigen::Ref<const Eigen::RowVectorXd>& b, RowMatrixXf& out)
{
    RowMatrixXf B;
    st.scaleRows(D, B);
    const Eigen::RowVectorXf offset = st.offset(D, b).cast<float>();
    parallelSparseTimesDense(X, B.data(), int(B.cols()), out.data(), 0, offset.data());
}

Features::Features(const Eigen::Ref<const RowMatrixXf>& rows, const Standardiser* standardiser,
                   double sparseBelow, double countsSparseBelow)
    : n_(int(rows.rows())), d_(int(rows.cols())), st_(standardiser, rows.cols())
{
    SparseRows nonzeros = nonzerosOf(rows);
    const double density = nonzeros.density();
    if (sparseBelow > 0 && density < std::max(sparseBelow, countsSparseBelow))
        counts_ = SparseCounts::of(nonzeros);
    const bool sparse =
        sparseBelow > 0 && (density < sparseBelow ||
                            (counts_ && counts_->integerKernel() && density < countsSparseBelow));
    if (!sparse) {
        counts_.reset();
        dense_ = standardiser ? standardiser->apply(rows) : RowMatrixXf(rows);
        return;
    }
    transposed_ = SparseTransposedBlocks::of(nonzeros);
    if (!counts_) sparse_.emplace(std::move(nonzeros));
}

void Features::alongDirection(double* D, const double* b, int K, RowMatrixXf& out)
{
    Eigen::Map<RowMatrixXd> Dm(D, d_, K);
    const Eigen::Map<const Eigen::RowVectorXd> bm(b, K);
    if (!transposed_) {
        out.rowwise() = bm.cast<float>();
        const RowMatrixXf Df = Dm.cast<float>();
        gemmAB(dense_.data(), n_, d_, Df.data(), K, 1.0f, out.data());
        return;
    }
    if (counts_) {
        if (!int8_.assign(D, st_.scale.data(), d_, K)) {
            // Not finite: no descent along it, which the solver's slope test then finds.
            out.setConstant(std::numeric_limits<float>::quiet_NaN());
            return;
        }
        parallelFor(d_, [&](int j) {
            const double u = st_.unscale[j];
            const float* q = int8_.value.data() + std::size_t(j) * std::size_t(K);
            for (int k = 0; k < K; ++k)
                Dm(j, k) = double(q[k]) * double(int8_.step[std::size_t(k)]) * u;
        });
        const Eigen::RowVectorXd offset = st_.offset(Dm, bm);
        counts_->times(int8_, offset.data(), out.data());
        return;
    }
    st_.scaleRows(Dm, scaled_);
    rounded_.assign(scaled_.data(), d_, K);
    parallelFor(d_, [&](int j) {
        const double u = st_.unscale[j];
        const float* v = rounded_.value.data() + std::size_t(j) * std::size_t(K);
        for (int k = 0; k < K; ++k)
            Dm(j, k) = double(v[k]) * u;  // scale * this rounds back to v[k]
    });
    const Eigen::RowVectorXf offset = st_.offset(Dm, bm).cast<float>();
    parallelSparseTimesHalf(*sparse_, rounded_, out.data(), offset.data());
}

void Features::transposedTimes(const RowMatrixXf& R, const Eigen::RowVectorXd& sums, double factor,
                               const double* x, double* g)
{
    const int K = int(R.cols());
    const std::size_t k = std::size_t(K);
    RowMatrixXf& G =
        product_;  // kept from call to call: a fresh 2.75 MB each time cost page faults
    G.resize(d_, K);
    if (!transposed_) {
        // Column-major G^T (K x d) = factor R^T (K x n) * X_s (n x d).
        const float zero = 0.0f, f = float(factor);
        sgemm_("N", "T", &K, &d_, &n_, &f, R.data(), &K, dense_.data(), &d_, &zero, G.data(), &K, 1,
               1);
        parallelFor(d_, [&](int j) {
            for (std::size_t c = 0; c < k; ++c)
                g[std::size_t(j) * k + c] =
                    double(G(j, Eigen::Index(c))) + x[std::size_t(j) * k + c];
        });
        return;
    }
    parallelSparseTransposedTimesDense(*transposed_, R.data(), K, G.data());
    parallelFor(d_, [&](int j) {
        const double s = factor * st_.scale[j], mu = st_.shift[j];
        for (std::size_t c = 0; c < k; ++c)
            g[std::size_t(j) * k + c] =
                s * (double(G(j, Eigen::Index(c))) - mu * sums[Eigen::Index(c)]) +
                x[std::size_t(j) * k + c];
    });
}

void Features::curvature(const RowMatrixXf& Q, const Eigen::RowVectorXd& sums, double C, double* h)
{
    const int K = int(Q.cols());
    const std::size_t k = std::size_t(K);
    RowMatrixXf& G = product_;
    G.resize(d_, K);
    if (!transposed_) {
        const RowMatrixXf squared = dense_.cwiseAbs2();
        const float zero = 0.0f, one = 1.0f;
        sgemm_("N", "T", &K, &d_, &n_, &one, Q.data(), &K, squared.data(), &d_, &zero, G.data(), &K,
               1, 1);
        parallelFor(d_, [&](int j) {
            for (std::size_t c = 0; c < k; ++c)
                h[std::size_t(j) * k + c] = 1.0 + C * double(G(j, Eigen::Index(c)));
        });
        return;
    }
    if (!squared_) {
        squared_ = *transposed_;
        for (SparseRows& block : squared_->blocks)
            for (float& v : block.value) v *= v;
    }
    RowMatrixXf& linear = scaled_;
    linear.resize(d_, K);
    parallelSparseTransposedTimesDense(*squared_, Q.data(), K, G.data());
    parallelSparseTransposedTimesDense(*transposed_, Q.data(), K, linear.data());
    parallelFor(d_, [&](int j) {
        const double s2 = st_.scale[j] * st_.scale[j], mu = st_.shift[j];
        for (std::size_t c = 0; c < k; ++c) {
            const Eigen::Index ci = Eigen::Index(c);
            const double sum =
                double(G(j, ci)) - 2 * mu * double(linear(j, ci)) + mu * mu * sums[ci];
            h[std::size_t(j) * k + c] = 1.0 + C * s2 * std::max(sum, 0.0);
        }
    });
}

}  // namespace neurolens::logistic
