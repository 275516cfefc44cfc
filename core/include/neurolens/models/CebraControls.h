#pragma once
// Controls on the CEBRA encoder itself, on the split the real model used: the same CEBRA trained on
// shuffled labels (each training repeat's frame labels circularly shifted by a random offset, a
// fresh set of offsets per shuffle) and the unsupervised time-only CEBRA, each decoded as the real
// one (the paper's kNN against the true labels of the training and validation repeats, tested on
// the test repeats). A supervised score the encoder-shuffled models also reach is not evidence of
// decoding.

#include "neurolens/models/Cebra.h"

#include <cstdint>
#include <vector>

namespace neurolens {

struct CebraControlOptions {
    int shuffles = 3;        // encoder-shuffled trainings (frame, features or hybrid conditionals)
    bool timeOnly = true;    // the time-contrastive baseline (skipped when the model is time-only)
    std::uint64_t seed = 1;  // draws the label shifts
    int threads = 1;         // LibTorch threads
    int window = 30;         // decoded within this many frames (1 s at 30 Hz)
};

struct CebraControls {
    std::vector<double> shuffleWithin;  // one score per encoder-shuffled training
    double shuffleP = 1;                // permutation p-value of the real score among them
    bool timeOnlyRan = false;
    double timeOnlyWithin = 0;
};

// The label shifts of shuffle `index`: one per training repeat, in [1, bins - 1].
std::vector<int> cebraLabelShifts(std::size_t trainingRepeats, int bins, std::uint64_t seed,
                                  int index);
// (1 + #{null >= real}) / (1 + n): the permutation p-value with the real score counted once.
double permutationP(double real, const std::vector<double>& null);

// `options` as the real model was trained (its split included); `real` its within-1-s score.
CebraControls trainCebraControls(const Recording& analysed, const CebraOptions& options,
                                 double real, const CebraControlOptions& control,
                                 Progress& progress = Progress::null());

}  // namespace neurolens
