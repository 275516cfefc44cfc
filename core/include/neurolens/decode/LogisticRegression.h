#pragma once
// Multinomial logistic regression with an L2 penalty, scikit-learn's model and C:
//     minimise  C * sum_i -log softmax(W x_i + b)[y_i]  +  1/2 ||W||^2     (the intercept
//     unpenalised)
// solved by L-BFGS (the two-loop recursion run on coefficients, the correction pairs in half
// precision) with a line search that costs no product per trial. The logits and gradients are float
// products with the features' nonzeros when most of them are zero (spike counts in short bins; each
// search direction then rounded to half precision, which halves what the logits' product reads),
// float BLAS GEMMs otherwise. Features are standardised with the training rows' mean and deviation
// (docs/design.md) unless told otherwise.

#include "neurolens/data/Responses.h"
#include "neurolens/jobs/Progress.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <vector>

namespace neurolens {

struct LogisticOptions {
    double C = 1.0;
    int maxIterations = 100;  // scikit-learn's default
    double tolerance = 1e-4;  // on the largest gradient entry (scikit-learn's gtol)
    double ftol = 1e-6;       // on the objective's relative decrease over five iterations
    // Iterations after which L-BFGS goes on preconditioned by the Hessian's diagonal there (0:
    // never; LogisticRegression.cpp says why).
    int preconditionAfter = 20;
    bool standardise = true;
    // Fit from the features' nonzeros when under this fraction of them is nonzero (spike counts in
    // short bins); 0: always through dense GEMMs. The same model either way, within float rounding.
    // (The value of linalg's kSparseProductsBelow, which this public header cannot include.)
    double sparseBelow = 0.25;
    // The same for spike counts (whole numbers over a common factor) where the CPU sums them in
    // integers (AVX-512 VNNI): their products cost less, and the nonzeros stay faster than
    // OpenBLAS's GEMMs up to about half the entries (measured: docs/performance.md). Applies only
    // when sparseBelow > 0.
    double countsSparseBelow = 0.5;
};

class LogisticRegression {
public:
    explicit LogisticRegression(LogisticOptions options = {}) : options_(options) {}

    // Labels are any non-negative integers; classes are the distinct labels seen.
    void fit(const Eigen::Ref<const RowMatrixXf>& rows, const std::vector<int>& labels,
             Progress& progress = Progress::null());
    std::vector<int> predict(const Eigen::Ref<const RowMatrixXf>& rows) const;
    // samples x classes, rows summing to one; columns follow classes().
    RowMatrixXf probabilities(const Eigen::Ref<const RowMatrixXf>& rows) const;
    const std::vector<int>& classes() const { return classes_; }
    int iterations() const { return iterations_; }
    double loss() const { return loss_; }

private:
    RowMatrixXf logits(const Eigen::Ref<const RowMatrixXf>& rows) const;

    LogisticOptions options_;
    Standardiser standardiser_;
    std::vector<int> classes_;
    RowMatrixXf Wt_;        // the weights transposed: features x classes
    Eigen::RowVectorXf b_;  // classes
    int iterations_ = 0;
    double loss_ = 0;
};

}  // namespace neurolens
