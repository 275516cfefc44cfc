#pragma once
// The CEBRA paper's population-vector baselines for frame decoding, on the same repeat split as the
// models: a cosine kNN (k chosen on the validation repeats) and a Poisson naive-Bayes decoder, each
// on a 1-frame (33 ms) and a 10-frame (330 ms) window of responses. At several bins per frame the
// responses are first averaged over each frame's bins, so samples are frames. Each score comes with
// a 95 % bootstrap interval over the test frames.

#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <cstdint>
#include <string>
#include <vector>

namespace neurolens {

// Sample (r, b) -> the rows of bins [b - left, b + right) of repeat r, concatenated, each bin index
// clamped to the repeat (replicate padding, as CEBRA's transform pads): (repeats x bins) x (cols x
// window).
RowMatrixXf windowedSamples(const RowMatrixXf& samples, int repeats, int bins, int left, int right);

struct BaselineDecoding {
    std::string method;    // "knn" or "bayes"
    int windowFrames = 1;  // 1 or 10
    int k = 0;             // kNN's chosen k
    double within = 0, withinLow = 0,
           withinHigh = 0;  // within 1 s on the test repeats, 95 % interval
    double chanceWithin = 0;
    std::string name() const;  // "knn_1frame", "bayes_10frame"
};

// Poisson naive Bayes fitted on the training and validation repeats, scored on the test repeats.
BaselineDecoding bayesFrameDecoding(const Recording& recording, const RowMatrixXf& samples,
                                    const RepeatSplit& split, int window = 30,
                                    std::uint64_t seed = 1);

// kNN and Bayes at 1 and 10 frames, in that order.
std::vector<BaselineDecoding> populationBaselines(const Recording& recording,
                                                  const RepeatSplit& split, std::uint64_t seed = 1,
                                                  Progress& progress = Progress::null());

}  // namespace neurolens
