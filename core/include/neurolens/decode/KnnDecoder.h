#pragma once
// k-nearest-neighbour classifier for frame IDs, as CEBRA decodes (scikit-learn's
// KNeighborsClassifier): cosine or euclidean distance, a majority vote (ties go to the smallest
// label, as scikit-learn) or a distance-weighted vote. Brute force in blocks, so memory stays
// bounded for any training size.

#include "neurolens/data/Responses.h"
#include "neurolens/jobs/Progress.h"

#include <vector>

namespace neurolens {

struct KnnOptions {
    enum class Metric { Cosine, Euclidean };
    enum class Vote { Majority, Distance };
    int k = 5;
    Metric metric = Metric::Cosine;
    Vote vote = Vote::Majority;
};

class KnnDecoder {
public:
    explicit KnnDecoder(KnnOptions options = {}) : options_(options) {}

    void fit(const Eigen::Ref<const RowMatrixXf>& rows, const std::vector<int>& labels);
    std::vector<int> predict(const Eigen::Ref<const RowMatrixXf>& rows,
                             Progress& progress = Progress::null()) const;

private:
    KnnOptions options_;
    RowMatrixXf train_;
    Eigen::VectorXf trainNorms_;  // squared norms (euclidean) or inverse norms (cosine)
    std::vector<int> labels_;
};

// Fraction of predictions with |predicted - true| < window (CEBRA's "within 1 s" with window = 30).
double fractionWithin(const std::vector<int>& predicted, const std::vector<int>& truth, int window);

}  // namespace neurolens
