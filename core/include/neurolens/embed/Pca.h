#pragma once
// Principal component analysis of a samples x features matrix: mean-centred, the full explained-
// variance spectrum (eigenvalues of the covariance with the n - 1 normalisation, as scikit-learn)
// and the leading principal axes. The covariance is accumulated from float BLAS syrk blocks into
// double (float precision, like scikit-learn on float32 data); the eigenproblem is solved in double
// by LAPACK (one tridiagonalisation: all eigenvalues, and MRRR for the few leading axes).

#include "neurolens/data/Responses.h"
#include "neurolens/jobs/Progress.h"

#include <Eigen/Core>

namespace neurolens {

struct PcaResult {
    Eigen::RowVectorXd mean;                 // [features]
    Eigen::VectorXd explainedVariance;       // [min(samples, features)], descending
    Eigen::VectorXd explainedVarianceRatio;  // same, divided by the total variance
    // features x k: the leading principal axes as columns, each with its largest-magnitude entry
    // positive so the signs are reproducible.
    Eigen::MatrixXd components;

    // The fewest components whose cumulative explained-variance ratio reaches `fraction`.
    int componentsFor(double fraction) const;
    // Projection of rows onto the first k components (k <= components.cols()).
    RowMatrixXf transform(const Eigen::Ref<const RowMatrixXf>& rows, int k) const;
};

// Fits PCA to `rows` (at least 2 rows), keeping the first `keep` axes (all when keep < 0 or larger
// than the rank bound). Throws UsageError for fewer than 2 rows, CancelledError when cancelled.
PcaResult fitPca(const Eigen::Ref<const RowMatrixXf>& rows, int keep = -1,
                 Progress& progress = Progress::null());

}  // namespace neurolens
