#pragma once
// Poisson naive-Bayes frame classifier, the population-vector baseline of the CEBRA paper's frame
// decoding: each feature (a unit's count in a bin of the window) is Poisson with a rate per class,
// estimated as the class mean shrunk towards the feature's overall mean by one pseudo-sample (so no
// rate is zero); classes are equally likely a priori. Predicts argmax_c sum_d x_d log(l_cd) - l_cd.
// Meant for counts; other non-negative responses are scored by the same quasi-likelihood.

#include "neurolens/data/Responses.h"

#include <vector>

namespace neurolens {

class PoissonNaiveBayes {
public:
    // Classes are 0 .. classes - 1; a class without training samples gets the overall rates.
    void fit(const Eigen::Ref<const RowMatrixXf>& rows, const std::vector<int>& labels,
             int classes);
    std::vector<int> predict(const Eigen::Ref<const RowMatrixXf>& rows) const;
    // Log-likelihood of each row under each class, up to a per-row constant (rows x classes).
    Eigen::MatrixXf scores(const Eigen::Ref<const RowMatrixXf>& rows) const;

private:
    Eigen::MatrixXf logRates_;     // features x classes
    Eigen::RowVectorXf rateSums_;  // per class
};

}  // namespace neurolens
