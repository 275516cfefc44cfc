#include "neurolens/decode/PoissonNaiveBayes.h"

#include "neurolens/data/Error.h"

#include <algorithm>

namespace neurolens {

void PoissonNaiveBayes::fit(const Eigen::Ref<const RowMatrixXf>& rows,
                            const std::vector<int>& labels, int classes)
{
    if (rows.rows() == 0 || std::size_t(rows.rows()) != labels.size() || classes < 1)
        throw UsageError("naive Bayes: one label per training row, and at least one class");
    const Eigen::Index d = rows.cols();
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(d, classes);
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(classes);
    for (Eigen::Index i = 0; i < rows.rows(); ++i) {
        const int c = labels[std::size_t(i)];
        if (c < 0 || c >= classes)
            throw UsageError("naive Bayes: label " + std::to_string(c) + " out of range");
        sums.col(c) += rows.row(i).transpose().cast<double>();
        counts[c] += 1;
    }
    const Eigen::VectorXd overall = sums.rowwise().sum() / double(rows.rows());
    constexpr double kFloor = 1e-6;  // rates of negative or all-zero features
    logRates_.resize(d, classes);
    rateSums_.resize(classes);
    for (int c = 0; c < classes; ++c) {
        const Eigen::VectorXd rate = ((sums.col(c) + overall) / (counts[c] + 1)).cwiseMax(kFloor);
        logRates_.col(c) = rate.array().log().cast<float>().matrix();
        rateSums_[c] = float(rate.sum());
    }
}

Eigen::MatrixXf PoissonNaiveBayes::scores(const Eigen::Ref<const RowMatrixXf>& rows) const
{
    if (rows.cols() != logRates_.rows())
        throw UsageError("naive Bayes: rows have the wrong number of features");
    Eigen::MatrixXf s = rows * logRates_;
    s.rowwise() -= rateSums_;
    return s;
}

std::vector<int> PoissonNaiveBayes::predict(const Eigen::Ref<const RowMatrixXf>& rows) const
{
    const Eigen::MatrixXf s = scores(rows);
    std::vector<int> out(std::size_t(s.rows()));
    for (Eigen::Index i = 0; i < s.rows(); ++i) {
        Eigen::Index best = 0;
        s.row(i).maxCoeff(&best);
        out[std::size_t(i)] = int(best);
    }
    return out;
}

}  // namespace neurolens
