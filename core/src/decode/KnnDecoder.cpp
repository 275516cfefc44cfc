#include "neurolens/decode/KnnDecoder.h"

#include "neurolens/data/Error.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

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

std::vector<int> KnnDecoder::predict(const Eigen::Ref<const RowMatrixXf>& rows, Progress& progress) const
{
    if (rows.cols() != train_.cols())
        throw UsageError("kNN: " + std::to_string(rows.cols()) + " features but the decoder was fitted on " +
                         std::to_string(train_.cols()));
    const int k = options_.k;
    const bool cosine = options_.metric == KnnOptions::Metric::Cosine;
    std::vector<int> out(rows.rows());
    const Eigen::Index block = 256;
    std::vector<int> idx(train_.rows());
    for (Eigen::Index start = 0; start < rows.rows(); start += block) {
        progress.checkCancelled();
        const Eigen::Index m = std::min(block, rows.rows() - start);
        const RowMatrixXf dots = rows.middleRows(start, m) * train_.transpose();
        for (Eigen::Index i = 0; i < m; ++i) {
            const auto q = rows.row(start + i);
            Eigen::RowVectorXf dist(train_.rows());
            if (cosine) {
                const float qn = q.norm(), qinv = qn > 0 ? 1.0f / qn : 0.0f;
                dist = (1.0f - (dots.row(i).array() * trainNorms_.transpose().array() * qinv)).matrix();
            } else {
                dist = (q.squaredNorm() - 2.0f * dots.row(i).array() + trainNorms_.transpose().array())
                           .max(0.0f).sqrt().matrix();
            }
            std::iota(idx.begin(), idx.end(), 0);
            // Ties in distance go to the earlier training sample, as a stable brute-force search does.
            std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) {
                return dist[a] < dist[b] || (dist[a] == dist[b] && a < b);
            });
            std::map<int, double> votes;
            for (int j = 0; j < k; ++j) {
                const double w = options_.vote == KnnOptions::Vote::Majority
                                     ? 1.0 : 1.0 / std::max(1e-12, double(dist[idx[j]]));
                votes[labels_[idx[j]]] += w;
            }
            // std::map iterates labels ascending, so strict '>' keeps the smallest label on ties.
            int best = 0;
            double bestVotes = -1;
            for (const auto& [label, v] : votes)
                if (v > bestVotes) best = label, bestVotes = v;
            out[start + i] = best;
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
