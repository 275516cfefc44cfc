#include "neurolens/decode/KnnDecoder.h"

#include "linalg/Blas.h"
#include "neurolens/data/Error.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

namespace neurolens {

void KnnDecoder::fit(const Eigen::Ref<const RowMatrixXf>& rows, const std::vector<int>& labels)
{
    if (rows.rows() != Eigen::Index(labels.size()))
        throw UsageError("kNN: " + std::to_string(rows.rows()) + " training rows but " +
                         std::to_string(labels.size()) + " labels");
    if (rows.rows() < options_.k)
        throw UsageError("kNN: k = " + std::to_string(options_.k) + " exceeds the " +
                         std::to_string(rows.rows()) + " training samples");
    train_ = rows;
    labels_ = labels;
    if (options_.metric == KnnOptions::Metric::Cosine) {
        trainNorms_ = train_.rowwise().norm();
        for (Eigen::Index i = 0; i < trainNorms_.size(); ++i)
            trainNorms_[i] = trainNorms_[i] > 0 ? 1.0f / trainNorms_[i] : 0.0f;
    } else {
        trainNorms_ = train_.rowwise().squaredNorm();
    }
}

std::vector<int> KnnDecoder::predict(const Eigen::Ref<const RowMatrixXf>& rows,
                                     Progress& progress) const
{
    if (rows.cols() != train_.cols())
        throw UsageError("kNN: " + std::to_string(rows.cols()) +
                         " features but the decoder was fitted on " +
                         std::to_string(train_.cols()));
    const int k = options_.k, d = int(train_.cols()), nTrain = int(train_.rows());
    const bool cosine = options_.metric == KnnOptions::Metric::Cosine;
    std::vector<int> out(rows.rows());
    const Eigen::Index block = 512;
    RowMatrixXf dots(block, nTrain);
    std::vector<std::pair<float, int>> candidates(static_cast<std::size_t>(nTrain));
    for (Eigen::Index start = 0; start < rows.rows(); start += block) {
        progress.checkCancelled();
        const int m = int(std::min(block, rows.rows() - start));
        const RowMatrixXf queries = rows.middleRows(start, m);
        // dots (m x nTrain, row-major) = queries train^T: column-major dots^T = train (d x
        // nTrain)^T queries (d x m).
        const float one = 1.0f, zero = 0.0f;
        sgemm_("T", "N", &nTrain, &m, &d, &one, train_.data(), &d, queries.data(), &d, &zero,
               dots.data(), &nTrain, 1, 1);
        for (int i = 0; i < m; ++i) {
            const auto q = queries.row(i);
            const float* dot = dots.data() + std::size_t(i) * nTrain;
            if (cosine) {
                const float qn = q.norm(), qinv = qn > 0 ? 1.0f / qn : 0.0f;
                for (int j = 0; j < nTrain; ++j)
                    candidates[std::size_t(j)] = {1.0f - dot[j] * trainNorms_[j] * qinv, j};
            } else {
                const float qq = q.squaredNorm();
                for (int j = 0; j < nTrain; ++j)
                    candidates[std::size_t(j)] = {
                        std::sqrt(std::max(0.0f, qq - 2.0f * dot[j] + trainNorms_[j])), j};
            }
            // The k nearest; ties in distance go to the earlier training sample, as a stable search
            // does.
            std::nth_element(candidates.begin(), candidates.begin() + (k - 1), candidates.end());
            std::sort(candidates.begin(), candidates.begin() + k);
            std::map<int, double> votes;
            for (int j = 0; j < k; ++j) {
                const double w =
                    options_.vote == KnnOptions::Vote::Majority
                        ? 1.0
                        : 1.0 / std::max(1e-12, double(candidates[std::size_t(j)].first));
                votes[labels_[std::size_t(candidates[std::size_t(j)].second)]] += w;
            }
            // std::map iterates labels ascending, so strict '>' keeps the smallest label on ties.
            int best = 0;
            double bestVotes = -1;
            for (const auto& [label, v] : votes)
                if (v > bestVotes) best = label, bestVotes = v;
            out[std::size_t(start + i)] = best;
        }
        progress.report(double(start + m), double(rows.rows()), "kNN decoding");
    }
    return out;
}

double fractionWithin(const std::vector<int>& predicted, const std::vector<int>& truth, int window)
{
    if (predicted.size() != truth.size() || predicted.empty()) return 0.0;
    std::size_t hits = 0;
    for (std::size_t i = 0; i < predicted.size(); ++i)
        if (std::abs(predicted[i] - truth[i]) < window) ++hits;
    return double(hits) / double(predicted.size());
}

}  // namespace neurolens
