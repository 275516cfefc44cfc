#pragma once
// CEBRA's batches: references from the prior, negatives uniform, positives from the conditional
// (time offset, same frame, or the continuous labels' time_delta), all among the training repeats'
// samples. Local sample i = k * bins + b is bin b of split.train[k]. Draws from the model's
// generator, so a seed fixes every batch and a checkpoint resumes the same sequence.

#include "neurolens/data/Recording.h"
#include "neurolens/models/Cebra.h"

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include <ATen/core/Generator.h>

namespace neurolens::cebra {

class Sampler {
public:
    // Throws UsageError on labels the recording lacks (features, behaviour), features covering too
    // few frames, and behaviour unknown throughout a training repeat or constant over all of them.
    Sampler(const Recording& recording, const CebraOptions& options, at::Generator& generator);

    // Positives for references (training samples) under `conditional` (Features for Hybrid's
    // continuous half).
    std::vector<int> positives(const std::vector<int>& refs, CebraOptions::Conditional conditional);
    void drawBatch(CebraOptions::Conditional conditional, std::vector<int>& refs,
                   std::vector<int>& pos, std::vector<int>& negs);

    int trainSamples() const { return trainSamples_; }

private:
    std::int64_t uniform(std::int64_t n);
    // The training samples whose label is nearest each query (rows).
    std::vector<int> nearestSamples(const Eigen::MatrixXf& queries);
    int pick(int label);  // a sample carrying `label`
    void behaviourLabels(const Recording& recording);

    const CebraOptions& options_;
    at::Generator& generator_;
    int bins_ = 0, trainSamples_ = 0;
    std::vector<int> frameOf_;  // per training sample (shifted for the shuffle control)
    std::vector<std::vector<int>> samplesOfFrame_;
    // Continuous labels (Features, Hybrid): label rows, the label of each training sample and the
    // samples carrying each label. Image features label frames (pools = samplesOfFrame_);
    // behaviour labels each sample itself (pools empty).
    Eigen::MatrixXf labels_;
    Eigen::VectorXf labelNorms_;
    std::vector<int> labelOf_;
    const std::vector<std::vector<int>>* pools_ = nullptr;
    // One-dimensional labels sorted, for nearest lookups by bisection: (value, label).
    std::vector<std::pair<float, int>> sorted_;
};

}  // namespace neurolens::cebra
