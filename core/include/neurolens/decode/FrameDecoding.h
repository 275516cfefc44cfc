#pragma once
// Frame-ID decoding with honest controls (the seed report's decoding study): train on some repeats,
// test on others, score predictions in frames, and put every number next to its chance level (a
// guess drawn uniformly from the movie's frames) and a label-shuffle control (each training
// repeat's frame labels circularly shifted by a random offset, so the activity no longer matches
// them; the decoder is retrained and tested on the true labels).

#include "neurolens/data/Parameters.h"
#include "neurolens/data/Recording.h"
#include "neurolens/decode/FrameDecoder.h"
#include "neurolens/jobs/Progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace neurolens {

struct FrameScores {
    double r2 = 0, mae = 0, rmse = 0;  // in frames
    double accuracy = 0;               // exact frame
    double within = 0;  // |error| < window frames (CEBRA's "within 1 s" at 30 Hz: 30)
};

// Scores predictions (continuous for regression; rounded and clamped to [0, frames) for the
// accuracies).
FrameScores scoreFrames(const std::vector<double>& predicted, const std::vector<int>& truth,
                        int frames, int window);
// The expected scores of guessing uniformly among `frames` frames, computed exactly.
FrameScores chanceScores(const std::vector<int>& truth, int frames, int window);

// The samples (repeats x bins rows) averaged over each frame's bins within a repeat, as the CEBRA
// paper decodes 120 Hz data, with a recording of that shape whose bin b shows frame b; unchanged
// (and the recording's own stimulus) at one bin per frame.
std::pair<Recording, RowMatrixXf> averageOverFrames(const Recording& recording,
                                                    const RowMatrixXf& samples);
// The frame labels of `repeats` repeats stacked one after another.
std::vector<int> stackedLabels(const Recording& recording, std::size_t repeats);

// A 95 % percentile bootstrap interval of the within-window accuracy: the test samples resampled
// with replacement `resamples` times (seeded).
struct Interval {
    double low = 0, high = 0;
};
Interval bootstrapWithin(const std::vector<int>& predicted, const std::vector<int>& truth,
                         int window, int resamples = 1000, std::uint64_t seed = 1);

struct DecodeOptions {
    std::string decoder = "lasso";  // a name in frameDecoders()
    Parameters parameters;          // overlaid on the decoder's defaults
    std::string features =
        "raw";  // FeatureInput: raw | pca:K (PCA fitted on the training repeats) | NAME
    std::vector<int> trainRepeats, testRepeats;  // empty: all but the last / the last
    int shuffles = 0;
    std::uint64_t seed = 1;
    int window = 30;
};

struct DecodeResult {
    FrameScores train, test, chance;
    int shuffles = 0;
    FrameScores shuffleMean;  // mean test scores over the shuffles
    double shuffleBeatFraction =
        0;  // fraction of shuffles whose within-window accuracy >= the real one
    std::vector<double> predicted;  // test samples, in order
    std::vector<int> truth;
    std::vector<int> trainRepeats, testRepeats;
    int featureDims = 0;
    DecodeOptions options;  // as used: every parameter resolved, the repeats of both sets filled in
};

// `recording` holds the analysed responses (already preprocessed); samples are repeats x bins and
// the label of a bin is stimulus.frame[bin].
DecodeResult decodeFrames(const Recording& recording, const DecodeOptions& options,
                          Progress& progress = Progress::null());

// Train and test scores along a sweep (seed figures 6, 9, 10): one of the decoder's numeric
// parameters (its regularisation: alpha for Lasso, C for logistic regression; kNN's k) or
// kSweepComponents, the number of principal components used as features.
struct SweepPoint {
    double value = 0;
    FrameScores train, test;
};
inline const std::string kSweepComponents = "pcs";
std::vector<SweepPoint> sweep(const Recording& recording, DecodeOptions options,
                              const std::string& parameter, const std::vector<double>& values,
                              Progress& progress = Progress::null());

// A sweep as the window shows and keeps it: what was swept, its points, and the test repeats'
// chance scores.
struct SweepResult {
    std::string parameter;  // a decoder parameter's name or kSweepComponents
    bool logScale = false;
    std::vector<SweepPoint> points;
    FrameScores chance;
    DecodeOptions options;  // the decoding swept, its other parameters as they were set
};

}  // namespace neurolens
