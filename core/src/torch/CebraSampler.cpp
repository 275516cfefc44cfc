#include "CebraSampler.h"

#include "neurolens/data/Error.h"
#include "neurolens/features/GaborFeatures.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <torch/torch.h>

namespace neurolens::cebra {

Sampler::Sampler(const Recording& rec, const CebraOptions& o, at::Generator& generator)
    : options_(o), generator_(generator)
{
    const Responses& r = rec.responses;
    bins_ = r.bins();
    trainSamples_ = int(o.split.train.size()) * bins_;
    const int frames = rec.frames();
    frameOf_.resize(std::size_t(trainSamples_));
    samplesOfFrame_.assign(std::size_t(frames), {});
    for (int s = 0; s < trainSamples_; ++s) {
        const int k = s / bins_, shift = o.labelShifts.empty() ? 0 : o.labelShifts[std::size_t(k)];
        frameOf_[std::size_t(s)] = rec.stimulus.frame[std::size_t((s % bins_ + shift) % bins_)];
        samplesOfFrame_[std::size_t(frameOf_[std::size_t(s)])].push_back(s);
    }
    if (o.conditional != CebraOptions::Conditional::Features &&
        o.conditional != CebraOptions::Conditional::Hybrid)
        return;
    if (!o.behaviour.empty()) {
        behaviourLabels(rec);
    } else {
        const auto it = rec.features.find(o.features);
        if (it != rec.features.end())
            labels_ =
                it->second.values.topRows(std::min<Eigen::Index>(frames, it->second.values.rows()));
        else if (o.features == kGaborFeatures && rec.movie)
            labels_ = gaborEnergyFeatures(*rec.movie).values.topRows(frames);
        else
            throw UsageError("no image features '" + o.features + "' in this recording" +
                             (rec.movie
                                  ? std::string("; 'gabor' computes built-in ones from its movie")
                                  : std::string()));
        if (labels_.rows() < frames)
            throw UsageError("the features have fewer frames than the movie");
        labelOf_ = frameOf_;
        pools_ = &samplesOfFrame_;
    }
    labelNorms_ = labels_.rowwise().squaredNorm();
    if (labels_.cols() == 1) {
        sorted_.reserve(std::size_t(labels_.rows()));
        for (Eigen::Index l = 0; l < labels_.rows(); ++l)
            if (!pools_ || !(*pools_)[std::size_t(l)].empty())
                sorted_.emplace_back(labels_(l, 0), int(l));
        std::sort(sorted_.begin(), sorted_.end());
    }
}

// Behaviour labels every training sample: its value in each chosen series (shifted with the frame
// labels for the shuffle control), gaps (NaN: blinks, lost tracking) filled by linear interpolation
// within the repeat, each series standardised over the training samples so that none dominates
// the distance by its units. Nothing of a validation or test repeat is read.
void Sampler::behaviourLabels(const Recording& rec)
{
    const auto dims = Eigen::Index(options_.behaviour.size());
    labels_.resize(trainSamples_, dims);
    std::vector<float> trace(static_cast<std::size_t>(bins_));
    for (Eigen::Index d = 0; d < dims; ++d) {
        const std::string& name = options_.behaviour[std::size_t(d)];
        const auto it = rec.behaviour.find(name);
        if (it == rec.behaviour.end()) {
            std::string known;
            for (const auto& [n, v] : rec.behaviour) known += (known.empty() ? "" : ", ") + n;
            throw UsageError("no behaviour '" + name + "' in this recording (" +
                             (known.empty() ? std::string("it has none") : "it has " + known) +
                             ")");
        }
        for (std::size_t k = 0; k < options_.split.train.size(); ++k) {
            const int rep = options_.split.train[k];
            const float* src = it->second.data() + std::size_t(rep) * std::size_t(bins_);
            int last = -1;
            for (int b = 0; b < bins_; ++b) {
                if (std::isnan(src[b])) continue;
                for (int g = last + 1; g < b; ++g)
                    trace[std::size_t(g)] =
                        last < 0
                            ? src[b]
                            : src[last] + (src[b] - src[last]) * float(g - last) / float(b - last);
                trace[std::size_t(b)] = src[b];
                last = b;
            }
            if (last < 0)
                throw UsageError("behaviour '" + name + "' is unknown throughout training repeat " +
                                 std::to_string(rep));
            for (int g = last + 1; g < bins_; ++g) trace[std::size_t(g)] = src[last];
            const int shift = options_.labelShifts.empty() ? 0 : options_.labelShifts[k];
            for (int b = 0; b < bins_; ++b)
                labels_(Eigen::Index(k) * bins_ + b, d) = trace[std::size_t((b + shift) % bins_)];
        }
        const double mean = labels_.col(d).cast<double>().mean();
        const double sd = std::sqrt((labels_.col(d).cast<double>().array() - mean).square().mean());
        if (!(sd > 0))
            throw UsageError("behaviour '" + name + "' is constant over the training repeats");
        labels_.col(d) = ((labels_.col(d).cast<double>().array() - mean) / sd).cast<float>();
    }
    labelOf_.resize(std::size_t(trainSamples_));
    for (int s = 0; s < trainSamples_; ++s) labelOf_[std::size_t(s)] = s;
    pools_ = nullptr;
}

std::int64_t Sampler::uniform(std::int64_t n)
{
    return torch::randint(n, {1}, generator_, torch::kInt64).item<std::int64_t>();
}

int Sampler::pick(int label)
{
    if (!pools_) return label;
    const auto& pool = (*pools_)[std::size_t(label)];
    return options_.firstIndexTies ? pool.front()
                                   : pool[std::size_t(uniform(std::int64_t(pool.size())))];
}

// The nearest label to each query; ties between labels go to the lowest label with
// firstIndexTies (the reference's rule), else uniformly at random; then a sample carrying it.
std::vector<int> Sampler::nearestSamples(const Eigen::MatrixXf& queries)
{
    std::vector<int> out(std::size_t(queries.rows()));
    if (!sorted_.empty()) {
        for (Eigen::Index q = 0; q < queries.rows(); ++q) {
            const float y = queries(q, 0);
            const auto begin = sorted_.begin(), end = sorted_.end();
            const auto right =
                std::lower_bound(begin, end, std::make_pair(y, std::numeric_limits<int>::min()));
            float nearest = std::numeric_limits<float>::infinity();
            if (right != end) nearest = right->first - y;
            if (right != begin) nearest = std::min(nearest, y - std::prev(right)->first);
            // Every label at the nearest distance: the run of equal values on either side, found
            // by bisection (pairs sort by value, then label: a run's first has its lowest label).
            const auto byValue = [](const std::pair<float, int>& a,
                                    const std::pair<float, int>& b) { return a.first < b.first; };
            auto lo = right, hi = right;
            if (right != begin && y - std::prev(right)->first == nearest)
                lo = std::lower_bound(begin, right, *std::prev(right), byValue);
            if (right != end && right->first - y == nearest)
                hi = std::upper_bound(right, end, *right, byValue);
            int label = 0;
            if (lo == hi) {  // no finite distance: the nearest by position
                label = (right == end ? std::prev(right) : right)->second;
            } else if (options_.firstIndexTies) {
                label = std::numeric_limits<int>::max();
                if (lo != right) label = lo->second;
                if (right != hi) label = std::min(label, right->second);
            } else {
                label = (lo + uniform(hi - lo))->second;
            }
            out[std::size_t(q)] = pick(label);
        }
        return out;
    }
    // Brute force in blocks of queries, so memory stays bounded with one label per sample.
    constexpr Eigen::Index kBlock = 64;
    std::vector<int> ties;
    for (Eigen::Index q0 = 0; q0 < queries.rows(); q0 += kBlock) {
        const Eigen::Index n = std::min(kBlock, queries.rows() - q0);
        const Eigen::MatrixXf dots = queries.middleRows(q0, n) * labels_.transpose();
        for (Eigen::Index q = 0; q < n; ++q) {
            float best = std::numeric_limits<float>::infinity();
            ties.clear();
            for (Eigen::Index l = 0; l < labels_.rows(); ++l) {
                if (pools_ && (*pools_)[std::size_t(l)].empty()) continue;
                const float distance = labelNorms_[l] - 2 * dots(q, l);
                if (distance < best) {
                    best = distance;
                    ties.assign(1, int(l));
                } else if (distance == best) {
                    ties.push_back(int(l));
                }
            }
            const int label = options_.firstIndexTies || ties.size() == 1
                                  ? ties.front()
                                  : ties[std::size_t(uniform(std::int64_t(ties.size())))];
            out[std::size_t(q0 + q)] = pick(label);
        }
    }
    return out;
}

std::vector<int> Sampler::positives(const std::vector<int>& refs,
                                    CebraOptions::Conditional conditional)
{
    std::vector<int> pos(refs.size());
    switch (conditional) {
        case CebraOptions::Conditional::Time:
            for (std::size_t i = 0; i < refs.size(); ++i) pos[i] = refs[i] + options_.timeOffset;
            break;
        case CebraOptions::Conditional::Frame:
            for (std::size_t i = 0; i < refs.size(); ++i) {
                const auto& pool = samplesOfFrame_[std::size_t(frameOf_[std::size_t(refs[i])])];
                pos[i] = pool[std::size_t(uniform(std::int64_t(pool.size())))];
            }
            break;
        default: {
            // time_delta: query = y[ref] + (y[u] - y[u - offset]) (zero when u - offset falls
            // before u's repeat, as the reference's zero for u < offset), u uniform over the
            // training samples.
            Eigen::MatrixXf queries(Eigen::Index(refs.size()), labels_.cols());
            for (std::size_t i = 0; i < refs.size(); ++i) {
                const int u = int(uniform(trainSamples_));
                queries.row(Eigen::Index(i)) = labels_.row(labelOf_[std::size_t(refs[i])]);
                if (u % bins_ >= options_.timeOffset)
                    queries.row(Eigen::Index(i)) +=
                        labels_.row(labelOf_[std::size_t(u)]) -
                        labels_.row(labelOf_[std::size_t(u - options_.timeOffset)]);
            }
            pos = nearestSamples(queries);
        }
    }
    return pos;
}

// References from the prior (uniform; for time, over the bins whose positive lies in the same
// repeat), negatives uniform, positives from the conditional: training samples all.
void Sampler::drawBatch(CebraOptions::Conditional conditional, std::vector<int>& refs,
                        std::vector<int>& pos, std::vector<int>& negs)
{
    const int B = options_.batchSize;
    const bool time = conditional == CebraOptions::Conditional::Time;
    const int span = time ? bins_ - options_.timeOffset : bins_;
    const auto draw = [&](std::int64_t n) {
        return torch::randint(n, {B}, generator_, torch::TensorOptions().dtype(torch::kInt64));
    };
    const torch::Tensor refT = draw(std::int64_t(trainSamples_ / bins_) * span),
                        negT = draw(trainSamples_);
    const std::int64_t* refP = refT.data_ptr<std::int64_t>();
    const std::int64_t* negP = negT.data_ptr<std::int64_t>();
    refs.resize(std::size_t(B));
    for (int i = 0; i < B; ++i)
        refs[std::size_t(i)] = int(refP[i] / span) * bins_ + int(refP[i] % span);
    negs.assign(negP, negP + B);
    pos = positives(refs, conditional);
}

}  // namespace neurolens::cebra
