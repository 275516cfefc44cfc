#pragma once
// The built-in simulated session (docs/simulator.md): a procedural greyscale movie (a camera
// drifting over a 1/f world, with moving objects) shown `repeats` times to a population of V1-like
// units (Gabor receptive fields, simple and complex cells, biphasic temporal kernels, log-normal
// rates, per-repeat gain, shared and private noise, Poisson counts at 120 Hz). Everything follows
// from the seed.
//
// Calibrated against the seed report (see README, "Simulated session"): with the defaults about 770
// of 800 units survive silent-unit removal, a few hundred principal components hold 90 % of the
// variance of the 30 Hz responses, and a cosine kNN decoder places roughly half of a held-out
// repeat's frames within 1 s of the truth.

#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"

#include <cstdint>

namespace neurolens {

struct SimulationOptions {
    int units = 800;
    int repeats = 10;
    int frames = 900;
    int height = 64;  // movie pixels
    int width = 128;
    int binsPerFrame = 4;  // 120 Hz bins for a 30 Hz movie
    double frameRateHz = 30.0;
    std::uint64_t seed = 1;

    // Population make-up and noise. Priors from Allen Neuropixels V1 statistics; the gains were
    // tuned so the statistics above hold (docs/simulator.md).
    double silentFraction = 0.035;  // units with rates so low they are silent in some repeat
    double drivenFraction = 0.65;   // units whose rate follows the movie
    double complexFraction =
        0.4;  // of the driven units: energy (complex) rather than linear (simple)
    double globalDriveMax = 0.6;  // up to this share of a unit's drive from whole-field signals
    double medianRateHz = 3.0;    // log-normal baseline rates
    double rateLogSd = 1.1;
    double gainMin = 0.4, gainMax = 1.4;  // stimulus gain (log-rate per SD of drive)
    double repeatGainSd = 0.12;    // per-repeat (brain state) gain, log scale, shared by all units
    double sharedNoiseSd = 0.35;   // loading of a slow shared fluctuation, log scale
    double privateNoiseSd = 0.35;  // per-bin private log-normal noise (over-dispersion)
    // Every unit's rate multiplied by this, the units otherwise the same: busier recordings (2:
    // 10.1 Hz on average, 79 % of 30 Hz bins zero, against 5.1 Hz and 87 % by default).
    double rateScale = 1.0;
};

// Checks the options; throws UsageError naming the offending one.
void validateOptions(const SimulationOptions& options);

Movie simulateMovie(const SimulationOptions& options, Progress& progress = Progress::null());

// The whole session: units (with ground-truth receptive-field columns prefixed "sim_"), 120 Hz
// counts, the stimulus table, the movie, and behaviour ("running_speed" in cm/s, "pupil_area" in
// pixels, NaN during blinks) driven by the shared fluctuation the units carry.
Recording simulateSession(const SimulationOptions& options, Progress& progress = Progress::null());

}  // namespace neurolens
