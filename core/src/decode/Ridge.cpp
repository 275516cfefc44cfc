#include "neurolens/decode/Ridge.h"

#include "neurolens/data/Error.h"

#include <Eigen/Cholesky>

namespace neurolens {

void Ridge::fit(const Eigen::Ref<const RowMatrixXf>& rows,
                const Eigen::Ref<const RowMatrixXf>& targets)
{
    if (rows.rows() != targets.rows())
        throw UsageError("Ridge: " + std::to_string(rows.rows()) + " rows but " +
                         std::to_string(targets.rows()) + " targets");
    if (rows.rows() < 2) throw UsageError("Ridge needs at least 2 samples");
    if (!(alpha_ >= 0)) throw UsageError("Ridge: alpha must be non-negative");
    const Eigen::RowVectorXd xMean = rows.cast<double>().colwise().mean();
    const Eigen::RowVectorXd yMean = targets.cast<double>().colwise().mean();
    const Eigen::MatrixXd X = rows.cast<double>().rowwise() - xMean;
    const Eigen::MatrixXd Y = targets.cast<double>().rowwise() - yMean;
    Eigen::MatrixXd A = X.transpose() * X;
    A.diagonal().array() += alpha_;
    const Eigen::LDLT<Eigen::MatrixXd> solver(A);  // LDLT: also fine for alpha = 0 with full rank
    W_ = solver.solve(X.transpose() * Y);
    b_ = yMean - xMean * W_;
}

RowMatrixXf Ridge::predict(const Eigen::Ref<const RowMatrixXf>& rows) const
{
    if (rows.cols() != W_.rows())
        throw UsageError("Ridge: " + std::to_string(rows.cols()) + " features but the model has " +
                         std::to_string(W_.rows()));
    return ((rows.cast<double>() * W_).rowwise() + b_).cast<float>();
}

Eigen::VectorXd r2PerOutput(const Eigen::Ref<const RowMatrixXf>& truth,
                            const Eigen::Ref<const RowMatrixXf>& predicted)
{
    if (truth.rows() != predicted.rows() || truth.cols() != predicted.cols())
        throw UsageError("R2: the predictions do not match the truth in shape");
    Eigen::VectorXd r2(truth.cols());
    for (Eigen::Index j = 0; j < truth.cols(); ++j) {
        const Eigen::VectorXd t = truth.col(j).cast<double>(), p = predicted.col(j).cast<double>();
        const double sst = (t.array() - t.mean()).square().sum();
        r2[j] = sst > 0 ? 1.0 - (t - p).squaredNorm() / sst : 0.0;
    }
    return r2;
}

}  // namespace neurolens
