#pragma once
// Binning spike times onto the frames of a movie's repeats, shared by the spike-sorted readers
// (NWB, Kilosort / phy): every kept frame's [start, stop) cut into K equal sub-bins, and spikes
// counted exactly in the sub-bin that holds them. Private to core/io.

#include "NwbTables.h"
#include "neurolens/io/Reader.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace neurolens::binning {

struct Bins {
    int repeats = 0, framesPerRepeat = 0, binsPerFrame = 0;
    // Repeat-major: bin b of repeat r at r * bins() + b.
    std::vector<double> lo, hi;
    std::vector<std::size_t> order;   // the bins by increasing lo (a shuffled movie's are not)
    double frameRate = 0;             // 1 / the median frame duration
    std::vector<std::int32_t> frame;  // [bins()] the frame each bin of a repeat shows
    int bins() const { return framesPerRepeat * binsPerFrame; }
};

// The formats' default sub-bins per frame: spikes at 120 Hz for a 30 Hz movie; traces sampled
// about once a frame are not cut finer unless asked.
constexpr int kSpikeBinsPerFrame = 4, kTraceBinsPerFrame = 1;

// The sub-bins per frame asked for, or the format's default when 0; a UsageError outside 1-64.
int binsPerFrame(const ReadOptions& options, int formatDefault);

// The sub-bins of the kept repeats of `p` (as splitRepeats laid them out).
Bins layOut(const nwb::Presentations& p, const nwb::RepeatLayout& layout, int binsPerFrame);

// Counts the sorted spikes [spikes, end) in each bin into counts[bin]. Linear in spikes + bins.
void countSpikes(const double* spikes, const double* end, const Bins& bins, float* counts);

}  // namespace neurolens::binning
