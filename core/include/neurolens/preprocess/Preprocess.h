#pragma once
// Preprocessing as the seed report does it: select an area, average K consecutive bins
// (120 Hz -> 30 Hz with K = 4), drop units silent in any repeat, keep the fewest highest-variance
// units whose variance sum reaches a fraction F of the total. Pure functions: a recording in, a new
// one out.

#include "neurolens/data/Recording.h"
#include "neurolens/jobs/Progress.h"

#include <string>
#include <vector>

namespace neurolens {

struct PreprocessOptions {
    std::string area;  // keep only units of this area; empty keeps all
    int bin = 0;       // average this many consecutive bins; 0 means bins per frame (one per frame)
    bool dropSilent = true;  // drop units with no spike in at least one repeat
    double topVariance =
        1.0;  // keep the fewest highest-variance units holding this fraction; 1 keeps all
};

struct PreprocessResult {
    Recording recording;
    std::vector<int> keptUnits;  // indices into the input's units, ascending
    int droppedByArea = 0;
    int droppedSilent = 0;
    int droppedByVariance = 0;
    double varianceFractionKept =
        1.0;  // trace of the kept covariance over the trace of the full one
};

PreprocessResult preprocess(const Recording& input, const PreprocessOptions& options,
                            Progress& progress = Progress::null());

// Averages K consecutive bins. K must divide the bins per frame, so every new bin still lies within
// one movie frame; the stimulus frame of a new bin is that frame. Throws UsageError otherwise.
Recording averageBins(const Recording& input, int k);
// selectUnits(input, units) then averageBins(.., k), in one pass over the responses: no copy of the
// whole recording.
Recording selectAndAverage(const Recording& input, const std::vector<int>& units, int k);
// selectAndAverage's recording before its responses are averaged: every other part for the listed
// units and bins averaged k at a time, the responses zero. Reads the input responses' shape, never
// their values (a reader averaging while it reads fills them: NativeReader).
Recording averagedLayout(const Recording& input, const std::vector<int>& units, int k);
// out (count x select.size()) = the means of each k consecutive rows of `bins` (count k rows of
// `units` values), in the listed columns: the sums taken in bin order, then scaled by 1 / k, so
// that every caller gets the same floats.
void averageBinsInto(const float* bins, int count, int units, const std::vector<int>& select, int k,
                     float* out);

// Units (ascending indices) with at least one non-zero count in every repeat; for continuous
// responses, whose trace changes in every repeat.
std::vector<int> nonSilentUnits(const Responses& responses);

// Per-unit variance over all samples (population variance, as the diagonal of the covariance).
std::vector<double> unitVariances(const Responses& responses);

// The fewest units, by decreasing variance, whose variance sum reaches `fraction` of the total;
// returned ascending. `achieved` receives the fraction actually held.
std::vector<int> topVarianceUnits(const std::vector<double>& variances, double fraction,
                                  double* achieved);

// Keeps the listed units (ascending indices), with their table rows and responses.
Recording selectUnits(const Recording& input, const std::vector<int>& units);

// Keeps the listed repeats (in the given order) with their blocks; stored embeddings are dropped.
Recording selectRepeats(const Recording& input, const std::vector<int>& repeats);

// The repeats shown in stimulus block `block`; throws UsageError naming the blocks present when
// none.
std::vector<int> repeatsOfBlock(const Recording& input, int block);

}  // namespace neurolens
