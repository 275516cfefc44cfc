#pragma once
// Ridge regression with one or many outputs, scikit-learn's objective
//     ||Y - X W - b||^2 + alpha ||W||^2     (intercept fitted, not penalised),
// solved exactly through the features x features normal equations (Cholesky). Used to ask how well
// latents explain the responses (alignment) and as a linear decoder.

#include "neurolens/data/Responses.h"

#include <Eigen/Core>

namespace neurolens {

class Ridge {
public:
    explicit Ridge(double alpha = 1.0) : alpha_(alpha) {}

    // rows: samples x features; targets: samples x outputs.
    void fit(const Eigen::Ref<const RowMatrixXf>& rows,
             const Eigen::Ref<const RowMatrixXf>& targets);
    RowMatrixXf predict(const Eigen::Ref<const RowMatrixXf>& rows) const;
    const Eigen::MatrixXd& coefficients() const { return W_; }  // features x outputs
    const Eigen::RowVectorXd& intercept() const { return b_; }

private:
    double alpha_;
    Eigen::MatrixXd W_;
    Eigen::RowVectorXd b_;
};

// R^2 of each output column (1 - SSE / SST; 0 where the column is constant), and their mean.
Eigen::VectorXd r2PerOutput(const Eigen::Ref<const RowMatrixXf>& truth,
                            const Eigen::Ref<const RowMatrixXf>& predicted);

}  // namespace neurolens
