#pragma once
// Built-in per-frame image features for guidance when none were loaded: a V1-like Gabor energy
// model. Each frame is resampled to 32 rows (aspect kept), filtered by quadrature pairs of Gabor
// filters at 4 orientations and 2 spatial frequencies (1/4 and 1/8 cycles per resampled pixel,
// bandwidth ~1 octave), the pair's energy sqrt(even^2 + odd^2) pooled over a 4 x 8 grid: 8 channels
// x 32 cells = 256 features per frame. Their first principal components serve as guidance targets
// like DINO features would.

#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"

namespace neurolens {

// The name under which the built-in features are stored in Recording::features.
inline constexpr const char* kGaborFeatures = "gabor";

FrameFeatures gaborEnergyFeatures(const Movie& movie, Progress& progress = Progress::null());

// When `wanted` names the built-in features and `recording` has a movie but not them yet, computes
// and stores them in recording.features, so they are written out like loaded ones.
void attachBuiltinFeatures(Recording& recording, const std::string& wanted,
                           Progress& progress = Progress::null());

}  // namespace neurolens
