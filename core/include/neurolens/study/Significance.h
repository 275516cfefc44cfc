#pragma once
// How significant is CEBRA's frame decoding? Accuracy against the number of neurons, in the style
// of the CEBRA paper's figure 5: for each count, units drawn at random (a fresh draw per seed) and,
// on one repeat split (nothing of a test repeat trains or selects anything), CEBRA, the same CEBRA
// trained on shifted labels (the encoder-shuffle control), and the population baselines (kNN and
// Poisson naive Bayes on 1- and 10-frame windows), each decoded within 1 s on the test repeats.
// Mean and standard deviation over the seeds, every run kept.

#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"
#include "neurolens/models/Cebra.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <cstdint>
#include <string>
#include <vector>

namespace neurolens {

struct SignificanceOptions {
    std::vector<int> units{10, 30, 100, 300, 0};  // 0: every unit
    int seeds = 3;
    CebraOptions cebra;  // the model (its split is replaced by `split`); seeds offset per run
    bool encoderShuffle = true;  // also train the encoder-shuffle control at every point
    RepeatSplit split;           // empty train: RepeatSplit::standard
    std::uint64_t seed = 1;      // the unit draws, the label shifts, the bootstrap
    int threads = 1;             // LibTorch threads
    int window = 30;             // decoded within this many frames (1 s at 30 Hz)

    // The defaults of `neurolens-cli significance`: offset10 with 32 hidden units and outputs,
    // frame labels, 1 000 steps (shorter than the paper's 10 000, so that the curve fits in
    // minutes).
    static SignificanceOptions defaults();
};

struct CurvePoint {
    std::string
        method;  // cebra, cebra_shuffled, knn_1frame, knn_10frame, bayes_1frame, bayes_10frame
    int units = 0;
    double mean = 0, sd = 0;
    std::vector<double> runs;  // one per seed
};

struct SignificanceResult {
    std::vector<CurvePoint> curve;  // methods grouped, units ascending
    RepeatSplit split;
    int unitsAvailable = 0;
    double chanceWithin = 0;
    double seconds = 0;
};

// `analysed`: the preprocessed recording. Unit counts above the available units are capped (and
// counted once). Throws UsageError (no units, too few repeats) and CancelledError.
SignificanceResult significanceCurve(const Recording& analysed, const SignificanceOptions& options,
                                     Progress& progress = Progress::null());

// "10,30,100,300,all" -> {10, 30, 100, 300, 0}. Throws UsageError.
std::vector<int> parseUnitCounts(const std::string& text);

}  // namespace neurolens
