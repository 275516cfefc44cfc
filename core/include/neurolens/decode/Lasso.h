#pragma once
// Lasso regression by cyclic coordinate descent with scikit-learn's objective
//     1/(2n) ||y - X w - b||^2 + alpha ||w||_1
// (the intercept b is fitted, X and y centred), stopping when the duality gap falls below
// tol * ||y - mean(y)||^2 as scikit-learn does. Works on the covariance X^T X (one BLAS syrk, or a
// sparse product when most features are zero), so an epoch costs features^2, not samples x
// features. Warm starts make a path over alpha cheap.

#include "neurolens/data/Responses.h"
#include "neurolens/jobs/Progress.h"

#include <Eigen/Core>
#include <vector>

namespace neurolens {

struct LassoOptions {
    double alpha = 0.08;  // the seed report's value for frame-ID decoding
    int maxIterations = 1000;
    double tolerance = 1e-4;
    // The covariance from the features' nonzeros when under this fraction of them is nonzero (spike
    // counts in short bins); 0: always a dense double syrk.
    double sparseBelow = 0.25;
};

class Lasso {
public:
    explicit Lasso(LassoOptions options = {}) : options_(options) {}

    // Fits on rows (samples x features) and targets; starts from the current coefficients when they
    // fit the shape (a warm start), else from zero.
    void fit(const Eigen::Ref<const RowMatrixXf>& rows, const Eigen::VectorXd& y,
             Progress& progress = Progress::null());
    Eigen::VectorXd predict(const Eigen::Ref<const RowMatrixXf>& rows) const;

    void setAlpha(double alpha) { options_.alpha = alpha; }
    const Eigen::VectorXd& coefficients() const { return w_; }
    double intercept() const { return b_; }
    int iterations() const { return iterations_; }
    double dualityGap() const { return gap_; }
    bool converged() const { return converged_; }

private:
    LassoOptions options_;
    Eigen::VectorXd w_;
    double b_ = 0, gap_ = 0;
    int iterations_ = 0;
    bool converged_ = false;
};

}  // namespace neurolens
